package dev.signet.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one probe run. {@code step} is the last step reached (the failing one when not
 * {@code ok}); {@code reason} a stable code ({@code ok} or a {@code probe.*} reason code); {@code
 * detail} says what was seen (status, host), never a secret or a response body.
 */
public record ProbeResult(ProbeTarget target, boolean ok, String step, String reason, String detail, Instant at, Duration took) {}
