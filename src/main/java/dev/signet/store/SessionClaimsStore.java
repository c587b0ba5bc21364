package dev.signet.store;

import java.util.Optional;

/** Extra ID token claims a sign-in hook attached to a session, as a JSON object. */
public interface SessionClaimsStore {

    /** For deployments without hooks: stores nothing, finds nothing, costs no query. */
    SessionClaimsStore NONE = new SessionClaimsStore() {
        @Override
        public void put(Tx tx, String sessionId, String claimsJson) {
            throw new IllegalStateException("no hooks are configured");
        }

        @Override
        public Optional<String> get(Tx tx, String sessionId) {
            return Optional.empty();
        }
    };

    void put(Tx tx, String sessionId, String claimsJson);

    Optional<String> get(Tx tx, String sessionId);
}
