package dev.signet.store;

import java.util.List;

/** Signing keys, shared by every node; each tenant has its own (issue 11). */
public interface KeyStore {
    /** The tenant's keys, oldest first. */
    List<StoredKey> all(Tx tx, String tenant);

    /** Adds the key unless one with the same kid exists. */
    void add(Tx tx, StoredKey key);
}
