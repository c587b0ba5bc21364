package dev.signet.store;

import java.util.Optional;

/** Authorization requests waiting for a sign-in; every lookup and delete is within one tenant. */
public interface PendingStore {
    void create(Tx tx, PendingAuthorization pending);

    Optional<PendingAuthorization> byId(Tx tx, String tenant, String id);

    void delete(Tx tx, String tenant, String id);
}
