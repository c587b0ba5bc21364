package dev.signet.store;

import java.time.Instant;

/**
 * Access tokens revoked before their expiry (RFC 7009 §2): by {@code jti}, within one tenant. A row
 * is needed only while the token could still verify, so it is pruned after {@code expiresAt}.
 */
public interface TokenRevocations {
    /** Records the tenant's access token {@code jti} as revoked until {@code expiresAt}; revoking twice is harmless. */
    void revoke(Tx tx, String tenant, String jti, Instant expiresAt);

    /** True when the tenant revoked this {@code jti} (another tenant's revocation of the same value does not count). */
    boolean isRevoked(Tx tx, String tenant, String jti);
}
