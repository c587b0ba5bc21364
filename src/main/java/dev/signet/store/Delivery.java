package dev.signet.store;

import java.time.Instant;

/**
 * A claimed delivery of one event to one sink; {@code attempts} counts the attempts before this one.
 * {@code claimedBy} and {@code claimedUntil} are the claim itself (the node and its lease): recording
 * the outcome compares both, so a relay whose lease ran out cannot record over a newer claim.
 */
public record Delivery(StoredEvent event, String sink, int attempts, String claimedBy, Instant claimedUntil) {}
