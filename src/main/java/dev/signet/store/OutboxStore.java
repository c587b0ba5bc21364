package dev.signet.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The outbox: events appended inside the transaction of the change they describe, and their
 * deliveries to sinks. Deliveries are claimed with a lease ({@code claimed_until}), so several
 * nodes running a relay never hand the same delivery to a sink at the same time.
 */
public interface OutboxStore {

    void append(Tx tx, StoredEvent event);

    /**
     * Creates a pending delivery per sink that takes the event's type ({@code sinksFor}) for events
     * not yet fanned out; returns how many events.
     */
    int fanOut(Tx tx, Function<String, List<String>> sinksFor, Instant now, int limit);

    /** Claims up to {@code limit} due deliveries for {@code node} until {@code leaseUntil}. */
    List<Delivery> claimDue(Tx tx, String node, Instant now, Instant leaseUntil, int limit);

    /**
     * Records that {@code claimed} was delivered, compare-and-set on its claim (node and lease): returns
     * false and changes nothing when the delivery is no longer held by that claim (the lease ran out
     * and another relay claimed it, or its outcome was already recorded).
     */
    boolean delivered(Tx tx, Delivery claimed, Instant at);

    /**
     * A failed attempt of {@code claimed}: back to pending at {@code nextAttemptAt}, or dead when
     * {@code dead}; compare-and-set on the claim as {@link #delivered}.
     */
    boolean failed(Tx tx, Delivery claimed, int attempts, Instant nextAttemptAt, String error, boolean dead);

    /** Dead deliveries back to pending (filtered by event id and/or sink when given); returns how many. */
    int redeliver(Tx tx, Optional<String> eventId, Optional<String> sink, Instant now);

    /** Deliveries not yet delivered nor dead, plus events not yet fanned out (for metrics). */
    long backlog(Tx tx);

    /** Deliveries in the dead-letter state (for metrics and alerts). */
    long deadLetters(Tx tx);

    /** Per sink in {@code sinks}: its oldest pending event and its dead letters (for per-sink gauges). */
    Map<String, SinkBacklog> bySink(Tx tx, List<String> sinks);
}
