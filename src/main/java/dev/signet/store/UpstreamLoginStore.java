package dev.signet.store;

import java.util.Optional;

/** Sign-ins in progress at upstreams; every lookup and consume is within one tenant. */
public interface UpstreamLoginStore {
    void create(Tx tx, UpstreamLogin login);

    Optional<UpstreamLogin> byStateHash(Tx tx, String tenant, String stateHash);

    /** Deletes the tenant's login; false when another request consumed it first (single use). */
    boolean consume(Tx tx, String tenant, String stateHash);
}
