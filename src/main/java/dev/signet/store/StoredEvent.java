package dev.signet.store;

import java.time.Instant;
import java.util.Optional;

/** An event as the outbox keeps it; {@code data} is a JSON object of string fields. */
public record StoredEvent(String id, String tenant, String type, Instant occurredAt, Optional<String> userId,
        Optional<String> connection, String data) {}
