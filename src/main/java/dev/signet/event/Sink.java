package dev.signet.event;

import dev.signet.store.StoredEvent;

/**
 * Where the relay delivers events. {@link #deliver} returns normally when the sink has the event,
 * and throws otherwise (the relay retries with backoff). It must bound its own time (a timeout).
 * Sinks may receive an event more than once (at-least-once): receivers dedupe by event id.
 */
public interface Sink {
    String id();

    void deliver(StoredEvent event) throws Exception;

    /** Whether events of {@code type} are for this sink (the relay creates deliveries only for those). */
    default boolean accepts(String type) {
        return true;
    }
}
