package dev.signet.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One sink's share of the outbox (issue 17, per-sink gauges): when the oldest event still waiting
 * for it occurred (pending deliveries, and events not yet fanned out), and its dead letters.
 */
public record SinkBacklog(Optional<Instant> oldestPending, long deadLetters) {}
