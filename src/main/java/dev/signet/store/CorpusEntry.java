package dev.signet.store;

import java.time.Instant;

/** One recorded upstream exchange ({@code entry}: its JSON, already synthetic); {@code outcome} is "ok" or a reason code. */
public record CorpusEntry(String id, String tenant, String connection, Instant recordedAt, String outcome, String entry) {}
