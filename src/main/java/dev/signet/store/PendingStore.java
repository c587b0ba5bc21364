package dev.signet.store;

import java.util.Optional;

/** Authorization requests waiting for a sign-in; every lookup and delete is within one tenant. */
public interface PendingStore {
    void create(Tx tx, PendingAuthorization pending);

    Optional<PendingAuthorization> byId(Tx tx, String tenant, String id);

    /** Deletes the tenant's pending authorization; true when there was one (a pushed request is used once: RFC 9126 §4). */
    boolean delete(Tx tx, String tenant, String id);
}
