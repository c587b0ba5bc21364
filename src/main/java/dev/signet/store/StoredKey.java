package dev.signet.store;

import java.time.Instant;

/**
 * A signing key of one tenant as stored. {@code material} is the private JWK, as a JWE (dir,
 * A256GCM) when a master key is configured ({@code encrypted}), else the JWK JSON itself. The key
 * is published from {@code createdAt} (when it is stored) and signs from {@code signsFrom} (issue
 * 14: never before it has been published for at least the JWKS cache lifetime).
 */
public record StoredKey(String tenant, String kid, String alg, String material, boolean encrypted, Instant createdAt, Instant signsFrom) {

    /** A key that signs from the moment it is stored (a tenant's first keys; rows of schema version 5). */
    public StoredKey(String tenant, String kid, String alg, String material, boolean encrypted, Instant createdAt) {
        this(tenant, kid, alg, material, encrypted, createdAt, createdAt);
    }
}
