package dev.signet.event;

import dev.signet.store.StoredEvent;
import java.util.List;

/**
 * Where the relay delivers events. {@link #deliver} returns normally when the sink has the event,
 * and throws otherwise (the relay retries with backoff). It must bound its own time (a timeout).
 * Sinks may receive an event more than once (at-least-once): receivers dedupe by event id.
 */
public interface Sink {
    String id();

    void deliver(StoredEvent event) throws Exception;

    /**
     * Whether the relay hands this sink all the deliveries of one pass together ({@link #deliverAll}).
     * For a sink whose deliveries are cheaper together: the audit log writes a pass in one store
     * transaction instead of one each (issue 16).
     */
    default boolean batches() {
        return false;
    }

    /**
     * Delivers {@code events} together (only called when {@link #batches()}): returns normally when the
     * sink has every one of them, throws otherwise (the relay retries them all; receivers dedupe).
     */
    default void deliverAll(List<StoredEvent> events) throws Exception {
        for (StoredEvent e : events) {
            deliver(e);
        }
    }

    /** Whether events of {@code type} are for this sink (the relay creates deliveries only for those). */
    default boolean accepts(String type) {
        return true;
    }
}
