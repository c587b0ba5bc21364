package dev.signet.probe;

import java.time.Instant;

/**
 * The last change seen in what a connection's upstream publishes (the drift watcher), shown next
 * to its probe results: {@code field} went from {@code old} to {@code now}; {@code hint} is the
 * config line to change or why there is none.
 */
public record LastDrift(String field, String old, String now, String hint, Instant at) {}
