package dev.signet.store;

import java.util.List;

/** Signing keys, shared by every node; each tenant has its own (issue 11). */
public interface KeyStore {
    /** The tenant's keys, oldest first. */
    List<StoredKey> all(Tx tx, String tenant);

    /** Adds the key unless one with the same kid exists. */
    void add(Tx tx, StoredKey key);

    /**
     * Makes this transaction the only one creating or rotating the tenant's keys until it ends
     * (issue 13: one node at a time). PostgreSQL: {@code pg_advisory_xact_lock}; the embedded
     * store has one writer, which already serialises every write transaction.
     */
    void lockKeys(Tx tx, String tenant);
}
