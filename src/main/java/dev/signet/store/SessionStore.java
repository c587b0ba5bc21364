package dev.signet.store;

import java.util.Optional;

/** Browser sessions, found by the hash of their cookie value. */
public interface SessionStore {
    void create(Tx tx, Session session);

    Optional<Session> byTokenHash(Tx tx, String tokenHash);

    void revoke(Tx tx, String id);
}
