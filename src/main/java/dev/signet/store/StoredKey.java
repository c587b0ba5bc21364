package dev.signet.store;

import java.time.Instant;

/**
 * A signing key of one tenant as stored. {@code material} is the private JWK, as a JWE (dir,
 * A256GCM) when a master key is configured ({@code encrypted}), else the JWK JSON itself.
 */
public record StoredKey(String tenant, String kid, String alg, String material, boolean encrypted, Instant createdAt) {}
