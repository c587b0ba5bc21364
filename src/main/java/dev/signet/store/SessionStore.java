package dev.signet.store;

import java.util.Optional;

/**
 * Browser sessions, found by the hash of their cookie value. Lookups take the tenant and match it
 * in the query: a cookie of one tenant presented on another tenant's domain is no session there.
 */
public interface SessionStore {
    void create(Tx tx, Session session);

    Optional<Session> byTokenHash(Tx tx, String tenant, String tokenHash);

    void revoke(Tx tx, String tenant, String id);
}
