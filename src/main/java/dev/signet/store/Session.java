package dev.signet.store;

import java.time.Instant;

/**
 * A browser's sign-in at Signet. The store keeps only the hash of the cookie value.
 *
 * @param id public session id, the {@code sid} claim (OIDC Front-Channel Logout §3)
 */
public record Session(String id, String tenant, String tokenHash, String userId, String connection, Instant authTime,
        Instant expiresAt, boolean revoked) {

    public boolean activeAt(Instant now) {
        return !revoked && now.isBefore(expiresAt);
    }
}
