package dev.signet.store;

import java.time.Instant;

/**
 * Signet's own state, nonce and PKCE verifier towards an upstream, for one redirect there. Found by
 * the hash of the {@code state} value and consumed once by the callback.
 */
public record UpstreamLogin(String stateHash, String tenant, String connection, String pendingId, String nonce,
        String codeVerifier, Instant expiresAt) {}
