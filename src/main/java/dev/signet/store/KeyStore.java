package dev.signet.store;

import java.util.List;

/** Signing keys, shared by every node. */
public interface KeyStore {
    List<StoredKey> all(Tx tx);

    /** Adds the key unless one with the same kid exists. */
    void add(Tx tx, StoredKey key);
}
