/** The {@code signet} command line. Writes human output to stderr; everything else logs JSON. */
@NullMarked
package dev.signet.cli;

import org.jspecify.annotations.NullMarked;
