package dev.signet.event;

import java.util.Optional;

/**
 * What the {@link OutboxRelay} tells the operator about each delivery attempt (issue 17: a failing
 * sink must leave a trace), implemented by the composition root with per-sink metrics and a
 * rate-limited log, so this package needs no observability library.
 */
public interface DeliveryReport {

    /**
     * One attempt at delivering an event to {@code sink}: {@code attempt} counts from 1;
     * {@code error} is empty when delivered, else what failed (HTTP status or the error, never a
     * body); {@code dead} when this failed attempt was the last one allowed (a dead letter now).
     */
    void attempted(String sink, String eventId, int attempt, Optional<String> error, boolean dead);

    DeliveryReport NONE = (sink, eventId, attempt, error, dead) -> {};
}
