package dev.signet.ratelimit;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * Failed client authentications of one key (a client id and address, or a client id from every
 * address): an allowance of {@code max} failures per window (a Bucket4j bucket, refilled
 * greedily), and once it is spent a back-off that starts at {@code backoff} and doubles with every
 * further failure, up to {@code maxBackoff}, until a success (the caller drops the entry) or a
 * whole window without failure (the allowance is full again). Attempts refused during a back-off
 * are not counted here (they were never checked), so a real client retrying does not lengthen its
 * own back-off.
 */
final class Failures {

    private final Bucket allowance;
    private final long max;
    private final Duration backoff;
    private final Duration maxBackoff;
    private int level;
    private long until;

    Failures(Bucket allowance, long max, Duration backoff, Duration maxBackoff) {
        this.allowance = allowance;
        this.max = max;
        this.backoff = backoff;
        this.maxBackoff = maxBackoff;
    }

    /** Nanoseconds of back-off left at {@code now}; 0 when none. */
    synchronized long remaining(long now) {
        return Math.max(0, until - now);
    }

    /** True while a failure counted within the window has not been refilled yet. */
    synchronized boolean recent() {
        return allowance.getAvailableTokens() < max;
    }

    /** Counts one failure at {@code now}: the back-off it starts, or zero. */
    synchronized Duration failed(long now) {
        if (allowance.getAvailableTokens() >= max) {
            level = 0; // a whole window without a failure: start afresh
        }
        ConsumptionProbe p = allowance.tryConsumeAndReturnRemaining(1);
        if (level == 0 && p.isConsumed() && p.getRemainingTokens() > 0) {
            return Duration.ZERO;
        }
        level = Math.min(level + 1, 30);
        Duration d = backoff.multipliedBy(1L << Math.min(level - 1, 20));
        if (d.compareTo(maxBackoff) > 0) {
            d = maxBackoff;
        }
        until = now + d.toNanos();
        return d;
    }
}
