package dev.signet.probe;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.Ids;
import dev.signet.config.ObserveSettings;
import dev.signet.observe.SignetMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every target's {@link Journey} every {@code probes.interval} (in parallel, each bounded by
 * {@code probes.timeout}) and keeps the latest result per target. Each result is a metric ({@code
 * signet_probe_runs_total}, {@code signet_probe_up}), a log line (WARN with the failing step and
 * reason, INFO when fine) and, on a change of state only, one signed alert.
 *
 * <p>The targets are read from a supplier on every round, so a configuration reload that adds a
 * domain or a connection is probed from the next round on.
 */
public final class ProbeRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeRunner.class);

    /** The state of one target: its latest result and since when it has been in that state. */
    public record Status(ProbeResult latest, Instant since, long runs, long failures) {}

    private final Supplier<List<ProbeTarget>> targets;
    private final ObserveSettings.Probes settings;
    private final String clientSecret;
    private final SignetMetrics metrics;
    private final ProbeAlerts alerts;
    private final Ids ids;
    private final Clock clock;
    private final Function<String, Map<String, LastDrift>> drifts;
    private final Map<String, Status> status = new ConcurrentHashMap<>();
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("signet-probes").daemon().factory());
    private final ExecutorService journeys = Executors.newVirtualThreadPerTaskExecutor();

    public ProbeRunner(Supplier<List<ProbeTarget>> targets, ObserveSettings.Probes settings, String clientSecret, SignetMetrics metrics,
            ProbeAlerts alerts, Ids ids, Clock clock) {
        this(targets, settings, clientSecret, metrics, alerts, ids, clock, tenant -> Map.of());
    }

    /** {@code drifts}: a tenant's last drift per connection, shown with the results (empty when it cannot be read). */
    public ProbeRunner(Supplier<List<ProbeTarget>> targets, ObserveSettings.Probes settings, String clientSecret, SignetMetrics metrics,
            ProbeAlerts alerts, Ids ids, Clock clock, Function<String, Map<String, LastDrift>> drifts) {
        this.drifts = drifts;
        this.targets = targets;
        this.settings = settings;
        this.clientSecret = clientSecret;
        this.metrics = metrics;
        this.alerts = alerts;
        this.ids = ids;
        this.clock = clock;
    }

    /** First round after one second (Signet is listening by then), then every interval. */
    public ProbeRunner start() {
        schedule.scheduleWithFixedDelay(this::round, 1000, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One round over every target; results are recorded as they come. */
    void round() {
        try {
            List<Future<ProbeResult>> running = new ArrayList<>();
            for (ProbeTarget t : targets.get()) {
                running.add(journeys.submit(() -> new Journey(t, clientSecret, ids, clock, settings.timeout()).run()));
            }
            for (Future<ProbeResult> f : running) {
                record(f.get(settings.timeout().toMillis() * 8, TimeUnit.MILLISECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("probe round failed", kv("detail", e.toString()));
        }
    }

    void record(ProbeResult r) {
        ProbeTarget t = r.target();
        Status before = status.get(t.key());
        boolean changed = before == null ? !r.ok() : before.latest().ok() != r.ok();
        Instant since = before == null || changed ? r.at() : before.since();
        Status now = new Status(r, since, before == null ? 1 : before.runs() + 1, (before == null ? 0 : before.failures()) + (r.ok() ? 0 : 1));
        status.put(t.key(), now);
        if (before == null) {
            metrics.gauge("signet.probe.up", "1 when the latest probe of this target passed", () -> up(t.key()),
                    "tenant", t.tenant(), "domain", t.domain(), "connection", t.connection());
        }
        metrics.count("signet.probe.runs", "Probe runs by result and failing step", "tenant", t.tenant(), "domain", t.domain(),
                "connection", t.connection(), "result", r.ok() ? "ok" : "failed", "step", r.ok() ? "" : r.step());
        if (r.ok()) {
            LOG.info("probe ok", kv("tenant", t.tenant()), kv("domain", t.domain()), kv("connection", t.connection()),
                    kv("took_ms", r.took().toMillis()), kv("detail", r.detail()));
        } else {
            LOG.warn("probe failed", kv("tenant", t.tenant()), kv("domain", t.domain()), kv("connection", t.connection()),
                    kv("step", r.step()), kv("reason", r.reason()), kv("detail", r.detail()), kv("took_ms", r.took().toMillis()));
        }
        if (changed) {
            alerts.stateChanged(r, before == null ? null : before.latest());
        }
    }

    private double up(String key) {
        Status s = status.get(key);
        return s == null ? Double.NaN : s.latest().ok() ? 1 : 0;
    }

    public Map<String, Status> status() {
        return Map.copyOf(status);
    }

    /** The status as JSON (served at the management listener's {@code /probes}, read by {@code signet probes}). */
    public String json() {
        return ProbeStatusPages.json(status.values(), lastDrifts());
    }

    public String html() {
        return ProbeStatusPages.html(status.values(), lastDrifts());
    }

    /** tenant → connection → its last drift; a store that cannot answer shows none (the page must still render). */
    private Map<String, Map<String, LastDrift>> lastDrifts() {
        Map<String, Map<String, LastDrift>> out = new java.util.HashMap<>();
        for (String tenant : status.values().stream().map(s -> s.latest().target().tenant()).distinct().toList()) {
            try {
                out.put(tenant, drifts.apply(tenant));
            } catch (RuntimeException e) {
                LOG.debug("drift not shown", kv("tenant", tenant), kv("detail", e.toString()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        schedule.shutdownNow();
        journeys.shutdownNow();
    }

    /** For the alert's "previous" field. */
    static @Nullable String state(@Nullable ProbeResult r) {
        return r == null ? null : r.ok() ? "ok" : "failing";
    }
}
