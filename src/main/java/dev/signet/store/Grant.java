package dev.signet.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * What one authorization code grants. Everything issued from the code (refresh tokens, and access
 * tokens through their {@code grant} claim) belongs to this grant and dies with it
 * (RFC 6749 §4.1.2: a reused code revokes what it issued).
 */
public record Grant(String id, String tenant, String clientId, String userId, String sessionId, String codeHash,
        String redirectUri, Optional<String> codeChallenge, Optional<String> nonce, Set<String> scopes,
        Instant authTime, Instant codeExpiresAt, boolean codeUsed, boolean revoked, Instant createdAt) {
    public Grant {
        scopes = Set.copyOf(scopes);
    }
}
