package dev.signet.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The audit log: one row per event, written by the audit sink (idempotent by event id). */
public interface AuditStore {

    record Query(Optional<String> tenant, Optional<String> userId, Optional<String> connection, Optional<Instant> since,
            Optional<Instant> until, int limit) {}

    void record(Tx tx, StoredEvent event);

    /** Newest first. */
    List<StoredEvent> find(Tx tx, Query q);
}
