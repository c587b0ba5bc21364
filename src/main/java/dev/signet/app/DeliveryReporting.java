package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.event.DeliveryReport;
import dev.signet.event.EventAdmin;
import dev.signet.event.OutboxRelay;
import dev.signet.observe.LogLimiter;
import dev.signet.observe.SignetMetrics;
import dev.signet.store.SinkBacklog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operator sees of event delivery, per sink (issue 17 item 2):
 *
 * <pre>
 *   signet_outbox_deliveries_total{sink,outcome}    every attempt: delivered | failed | dead (the last allowed attempt failed)
 *   signet_outbox_oldest_pending_seconds{sink}      age of the oldest event still waiting for the sink (0 when none)
 *   signet_outbox_sink_dead_letters{sink}           dead letters in the store (until `signet events redeliver`)
 *   WARN "outbox: delivery failed"                  sink, attempt, detail (HTTP status or error), event_id, suppressed
 *   WARN "outbox: delivery dead-lettered"           sink, attempts, detail, event_id, suppressed
 *   INFO "outbox: sink delivering again"            sink, failed_attempts (since it started failing)
 * </pre>
 *
 * Each WARN kind is rate-limited per sink ({@link #LOG_EVERY}): the first failure is logged at
 * once, then one line per interval with the number of attempts not logged since ({@code
 * suppressed}), so a sink down for a minute costs a handful of lines, not one per attempt.
 */
final class DeliveryReporting implements DeliveryReport {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    /** At most one WARN line per sink and kind this often. */
    static final Duration LOG_EVERY = Duration.ofSeconds(10);
    /** Per-sink gauges read the store at most this often (a scrape every few seconds costs one query). */
    private static final long GAUGE_CACHE_NANOS = Duration.ofSeconds(1).toNanos();

    private final SignetMetrics metrics;
    private final LogLimiter limiter;
    private final Map<String, Long> failingSince = new ConcurrentHashMap<>();

    DeliveryReporting(SignetMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.limiter = new LogLimiter(LOG_EVERY, clock);
    }

    @Override
    public void attempted(String sink, String eventId, int attempt, Optional<String> error, boolean dead) {
        metrics.delivery(sink, error.isEmpty() ? "delivered" : dead ? "dead" : "failed");
        if (error.isEmpty()) {
            Long failed = failingSince.remove(sink);
            if (failed != null) {
                limiter.reset("failed:" + sink);
                LOG.info("outbox: sink delivering again", kv("sink", sink), kv("failed_attempts", failed));
            }
            return;
        }
        failingSince.merge(sink, 1L, Long::sum);
        String kind = dead ? "dead:" : "failed:";
        long suppressed = limiter.permit(kind + sink);
        if (suppressed < 0) {
            return;
        }
        if (dead) {
            LOG.warn("outbox: delivery dead-lettered", kv("sink", sink), kv("attempts", attempt), kv("detail", error.get()),
                    kv("event_id", eventId), kv("suppressed", suppressed));
        } else {
            LOG.warn("outbox: delivery failed", kv("sink", sink), kv("attempt", attempt), kv("detail", error.get()),
                    kv("event_id", eventId), kv("suppressed", suppressed));
        }
    }

    /** Registers the per-sink gauges for {@code sinks}, read from the store at scrape time (cached for a second). */
    static void gauges(SignetMetrics metrics, EventAdmin events, List<String> sinks, Clock clock) {
        Cached cached = new Cached(events, sinks);
        for (String sink : sinks) {
            metrics.gauge("signet.outbox.oldest_pending.seconds", "Age of the oldest event still waiting for this sink",
                    () -> cached.get().map(m -> m.get(sink)).map(b -> b.oldestPending()
                            .map(t -> Math.max(0, clock.millis() - t.toEpochMilli()) / 1000.0).orElse(0.0)).orElse(Double.NaN),
                    "sink", sink);
            metrics.gauge("signet.outbox.sink.dead_letters", "Dead letters of this sink (until redelivered)",
                    () -> cached.get().map(m -> m.get(sink)).map(b -> (double) b.deadLetters()).orElse(Double.NaN), "sink", sink);
        }
    }

    /** The per-sink state, read at most once a second; empty when the store cannot answer (gauges then read NaN). */
    private static final class Cached {
        private final EventAdmin events;
        private final List<String> sinks;
        private volatile long readAt = Long.MIN_VALUE;
        private volatile Optional<Map<String, SinkBacklog>> value = Optional.empty();

        Cached(EventAdmin events, List<String> sinks) {
            this.events = events;
            this.sinks = List.copyOf(sinks);
        }

        synchronized Optional<Map<String, SinkBacklog>> get() {
            long now = System.nanoTime();
            if (readAt == Long.MIN_VALUE || now - readAt > GAUGE_CACHE_NANOS) {
                try {
                    value = Optional.of(events.bySink(sinks));
                } catch (RuntimeException e) {
                    value = Optional.empty();
                }
                readAt = now;
            }
            return value;
        }
    }
}
