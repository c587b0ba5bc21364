package dev.signet.ratelimit;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/**
 * The injected {@link Clock} as Bucket4j's {@link TimeMeter} and Caffeine's {@link Ticker}
 * (convention 8): bucket refills, back-offs and cache expiry all follow one clock. Bucket4j ignores
 * a clock that steps back (no refill until it passes the last reading), so a wall clock is safe.
 */
record ClockTime(Clock clock) implements TimeMeter, Ticker {

    @Override
    public long currentTimeNanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }

    @Override
    public long read() {
        return currentTimeNanos();
    }
}
