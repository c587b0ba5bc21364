/**
 * The built-in demo application ("Try a sign-in" on the home page): a black-box relying party that
 * uses only Signet's public HTTP endpoints, like {@code probe} will.
 */
@NullMarked
package dev.signet.demo;

import org.jspecify.annotations.NullMarked;
