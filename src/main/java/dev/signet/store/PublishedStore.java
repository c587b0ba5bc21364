package dev.signet.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What each connection's upstream published when Signet last looked (the drift watcher, README
 * "Upstream drift"); every call takes the tenant. Values are JSON text ({@code null}: not published).
 */
public interface PublishedStore {

    /** One field as stored: its value, and the last change when there was one. */
    record Field(String connection, String field, String value, Instant seenAt, Optional<String> previous, Optional<Instant> changedAt,
            Optional<String> hint) {}

    /** {@code connection}'s fields by name; empty before its first observation. */
    Map<String, Field> fields(Tx tx, String tenant, String connection);

    /**
     * Stores the first {@code value} of a field; false when a row exists (another node was first).
     * With {@code previous} (a value recorded before, e.g. in the upstream corpus) the row is stored as
     * a change from it, with {@code hint}; without, as the baseline.
     */
    boolean insert(Tx tx, String tenant, String connection, String field, String value, Optional<String> previous, Optional<String> hint,
            Instant at);

    /**
     * Compare-and-set: {@code field} becomes {@code now} only if it still holds {@code old}; true for
     * the one caller that changed it (of several nodes that saw the same change, the first).
     */
    boolean change(Tx tx, String tenant, String connection, String field, String old, String now, String hint, Instant at);

    /** The tenant's changed fields, newest change first (the operator's view of drift). */
    List<Field> changes(Tx tx, String tenant);
}
