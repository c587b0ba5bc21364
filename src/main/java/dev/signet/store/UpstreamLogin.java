package dev.signet.store;

import java.time.Instant;

/**
 * Signet's own state, nonce and PKCE verifier towards an upstream, for one redirect there. Found by
 * the hash of the {@code state} value and consumed once by the callback. {@code domain} is the host
 * name of the domain the journey started on (its callback must come back there).
 */
public record UpstreamLogin(String stateHash, String tenant, String domain, String connection, String pendingId, String nonce,
        String codeVerifier, Instant expiresAt) {

    /** A login on the tenant's default domain (no domain recorded). */
    public UpstreamLogin(String stateHash, String tenant, String connection, String pendingId, String nonce, String codeVerifier,
            Instant expiresAt) {
        this(stateHash, tenant, "", connection, pendingId, nonce, codeVerifier, expiresAt);
    }
}
