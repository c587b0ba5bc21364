package dev.signet.store;

import java.util.Optional;

/** Sign-ins in progress at upstreams. */
public interface UpstreamLoginStore {
    void create(Tx tx, UpstreamLogin login);

    Optional<UpstreamLogin> byStateHash(Tx tx, String stateHash);

    /** Deletes the login; false when another request consumed it first (single use). */
    boolean consume(Tx tx, String stateHash);
}
