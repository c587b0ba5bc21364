/**
 * Signing keys and JWTs: {@link dev.signet.keys.SigningKeys} (created at first start, stored,
 * encrypted at rest with the master key), {@link dev.signet.keys.JwtMinter} and {@link
 * dev.signet.keys.JwtVerifier}. Every JOSE operation goes through Nimbus. Kept apart from {@code
 * protocol} because probes and admin need it too.
 */
@NullMarked
package dev.signet.keys;

import org.jspecify.annotations.NullMarked;
