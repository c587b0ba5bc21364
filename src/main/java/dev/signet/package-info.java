/**
 * Signet's shared kernel: the reason codes, the sealed error model and secure ids. Depends on the
 * JDK only; every other package may use it.
 */
@NullMarked
package dev.signet;

import org.jspecify.annotations.NullMarked;
