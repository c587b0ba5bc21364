/** The composition root ({@link dev.signet.app.Signet}): builds the object graph with {@code new}. */
@NullMarked
package dev.signet.app;

import org.jspecify.annotations.NullMarked;
