package dev.signet.web;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps reminding the log that the unsafe dev connection is in use: the first sign-in through it
 * and then at most one line a minute, with how many sign-ins went through it meanwhile (a line per
 * sign-in would cost more than the sign-in under load and drown the log).
 */
final class DevSignIns {

    private static final Logger LOG = LoggerFactory.getLogger(DevSignIns.class);
    private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong since = new AtomicLong();
    private final AtomicLong lastWarned = new AtomicLong(System.nanoTime() - EVERY_NANOS);

    void signedIn(String connection) {
        long count = since.incrementAndGet();
        long now = System.nanoTime();
        long last = lastWarned.get();
        if (now - last >= EVERY_NANOS && lastWarned.compareAndSet(last, now)) {
            since.addAndGet(-count);
            LOG.warn("UNSAFE: sign-ins through the dev connection (no password checked)", kv("connection", connection),
                    kv("sign_ins_since_last_warning", count));
        }
    }
}
