package dev.signet.observe;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate-limits a kind of log line per key (a sink, a connection × field): the first occurrence is
 * logged at once, then at most one line per {@code every}, carrying how many occurrences were not
 * logged since the previous line. A failure that repeats thousands of times a minute costs a few
 * lines, yet the operator sees it start within moments. Time comes from the injected clock.
 */
public final class LogLimiter {

    private final Duration every;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long nextAt = Long.MIN_VALUE;
        long suppressed;
    }

    public LogLimiter(Duration every, Clock clock) {
        this.every = every;
        this.clock = clock;
    }

    /**
     * Whether to log this occurrence of {@code key} now: -1 when not (it is counted), else how many
     * occurrences were suppressed since the last line logged for the key.
     */
    public long permit(String key) {
        Window w = windows.computeIfAbsent(key, k -> new Window());
        long now = clock.millis();
        synchronized (w) {
            if (now < w.nextAt) {
                w.suppressed++;
                return -1;
            }
            long s = w.suppressed;
            w.suppressed = 0;
            w.nextAt = now + every.toMillis();
            return s;
        }
    }

    /** Forgets {@code key}'s window: its next occurrence is logged at once (e.g. after a recovery). */
    public void reset(String key) {
        windows.remove(key);
    }

    public Duration every() {
        return every;
    }
}
