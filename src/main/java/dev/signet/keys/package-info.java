/**
 * Signing keys and JWTs: {@link dev.signet.keys.SigningKeys} (one set per tenant, held by {@link
 * dev.signet.keys.TenantKeys}; created at the tenant's first use or at start, stored, encrypted at
 * rest with the master key; rotated by {@link dev.signet.keys.KeyRotation}: published before they
 * sign, published until their tokens expired), {@link dev.signet.keys.JwtMinter} and {@link
 * dev.signet.keys.JwtVerifier} (with its bounded cache of tokens already verified, {@code
 * VerifiedTokens}). Every JOSE operation goes through Nimbus; {@link
 * dev.signet.keys.SignatureProvider} decides which JCA provider computes the signatures (Conscrypt or the JDK). Kept apart from {@code
 * protocol} because probes and admin need it too.
 *
 * <p>Deviation from STYLE 2b: keys use {@code store} (its {@code KeyStore}, {@code StoredKey} and
 * {@code Transactions}), because signing keys are created at first start and persisted, and STYLE
 * 2a keeps every store interface in {@code store}. They use nothing else of it.
 */
@NullMarked
package dev.signet.keys;

import org.jspecify.annotations.NullMarked;
