/** The built-in, unsafe development upstream ({@code kind: dev-unsafe}); loopback-only unless forced. */
@NullMarked
package dev.signet.connector.dev;

import org.jspecify.annotations.NullMarked;
