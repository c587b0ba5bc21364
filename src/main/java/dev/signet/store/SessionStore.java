package dev.signet.store;

import java.util.Optional;

/**
 * Browser sessions, found by the hash of their cookie value. Lookups take the tenant and match it
 * in the query: a cookie of one tenant presented on another tenant's domain is no session there.
 */
public interface SessionStore {
    void create(Tx tx, Session session);

    Optional<Session> byTokenHash(Tx tx, String tenant, String tokenHash);

    /** Revokes the tenant's session and announces it to every node ({@link Changes}); false when it has no session with that id. */
    boolean revoke(Tx tx, String tenant, String id);
}
