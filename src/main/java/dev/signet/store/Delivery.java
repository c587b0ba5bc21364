package dev.signet.store;

/** A claimed delivery of one event to one sink; {@code attempts} counts the attempts before this one. */
public record Delivery(StoredEvent event, String sink, int attempts) {}
