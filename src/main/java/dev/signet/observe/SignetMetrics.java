package dev.signet.observe;

import dev.signet.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Signet's meters, scraped as Prometheus text at {@code /metrics} on the management listener.
 *
 * <p>The sign-in path only looks meters up in nested {@link ConcurrentHashMap}s keyed by the plain
 * strings it already has (tenant, connection, …) and by {@link Reason} ordinal: after the first
 * call for a combination there is no allocation, no tag array and no registry lookup.
 *
 * <pre>
 * signet_signins_started_total{tenant,connection}
 * signet_signins_succeeded_total{tenant,connection}
 * signet_signins_failed_total{tenant,connection,reason}
 * signet_errors_total{reason}                                   every error response
 * signet_upstream_request_seconds{connection,endpoint,outcome}  histogram; outcome ok | http_4xx | http_5xx | error
 * signet_tokens_issued_total{grant,client}
 * signet_store_seconds{op}  signet_store_errors_total{op}       op read | write
 * signet_probe_runs_total{tenant,domain,connection,result}  signet_probe_up{tenant,domain,connection}
 * signet_rate_limited_total{endpoint,reason}                   429s; reason per_address | per_client | client_auth_backoff
 * signet_upstream_claim_ignored_total{connection,field}        an optional field of the wrong JSON type, read as absent
 * signet_outbox_deliveries_total{sink,outcome}                 outcome delivered | failed | dead
 * signet_hook_calls_total{hook,outcome,decision}               outcome ok | denied | timeout | error; decision allowed | denied
 * signet_http_request_seconds{method,route}                    histogram; route = the matched pattern, never the raw path
 * </pre>
 */
public final class SignetMetrics {

    private static final Reason[] REASONS = Reason.values();

    /*
     * Histogram buckets (issue 16): fixed bounds, 1-2.5-5 per decade, instead of Micrometer's percentile histogram
     * (~85 bounds per series). A scrape formats every bucket of every series: with 85, a node that had served 8
     * routes wrote 1,136 lines (96 KB) per scrape, ~5 ms of CPU; with these 382 lines, ~2 ms. histogram_quantile()
     * needs no more. The request bounds start at 100 us: Signet answers most requests in less than 250 us.
     */
    private static final Duration[] REQUEST_BUCKETS = millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000);
    private static final Duration[] STORE_BUCKETS = millis(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000);
    private static final Duration[] UPSTREAM_BUCKETS = millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000);

    private static Duration[] millis(double... ms) {
        return Arrays.stream(ms).mapToObj(m -> Duration.ofNanos(Math.round(m * 1_000_000))).toArray(Duration[]::new);
    }

    /*
     * Scrapes are rendered on a platform thread of this class's own (started by the first scrape, gone a minute
     * after the last), never on the management request's virtual thread: a virtual thread is not preempted, so
     * the scrape's CPU time held one of the few carrier threads that serve every public request, and at a high
     * load each scrape left a queue behind it (bench/compare.sh's open loop saw it). The kernel time-slices a
     * platform thread with the carriers instead.
     */
    private final ThreadPoolExecutor scraper = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            Thread.ofPlatform().daemon().name("signet-metrics-scrape").factory());

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Journey>> journeys = new ConcurrentHashMap<>();
    private final Counter[] errors = new Counter[REASONS.length];
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>>> upstream = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Counter>> rateLimited = new ConcurrentHashMap<>();
    private final java.util.List<Object> held = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Counter> hooks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Counter> claimsIgnored = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>> requests = new ConcurrentHashMap<>();
    private final Timer storeRead;
    private final Timer storeWrite;
    private final Counter storeReadErrors;
    private final Counter storeWriteErrors;

    /** The counters of one tenant × connection. */
    private final class Journey {
        final Counter started;
        final Counter succeeded;
        final Counter[] failed = new Counter[REASONS.length];
        final String tenant;
        final String connection;

        Journey(String tenant, String connection) {
            this.tenant = tenant;
            this.connection = connection;
            started = Counter.builder("signet.signins.started").description("Sign-ins sent to an upstream")
                    .tags("tenant", tenant, "connection", connection).register(registry);
            succeeded = Counter.builder("signet.signins.succeeded").description("Sign-ins that came back with a session")
                    .tags("tenant", tenant, "connection", connection).register(registry);
        }

        Counter failed(Reason r) {
            Counter c = failed[r.ordinal()];
            if (c == null) {
                c = Counter.builder("signet.signins.failed").description("Sign-ins that failed, by reason code")
                        .tags("tenant", tenant, "connection", connection, "reason", r.code()).register(registry);
                failed[r.ordinal()] = c; // benign race: register() returns the same meter
            }
            return c;
        }
    }

    public SignetMetrics() {
        for (Reason r : REASONS) {
            errors[r.ordinal()] = Counter.builder("signet.errors").description("Error responses by reason code")
                    .tag("reason", r.code()).register(registry);
        }
        storeRead = storeTimer("read");
        storeWrite = storeTimer("write");
        storeReadErrors = Counter.builder("signet.store.errors").tag("op", "read").register(registry);
        storeWriteErrors = Counter.builder("signet.store.errors").tag("op", "write").register(registry);
    }

    private Timer storeTimer(String op) {
        return Timer.builder("signet.store").description("Store transactions").tag("op", op)
                .serviceLevelObjectives(STORE_BUCKETS).register(registry);
    }

    private Journey journey(String tenant, String connection) {
        return journeys.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).computeIfAbsent(connection, c -> new Journey(tenant, c));
    }

    /** Registers the counters of a connection up front, so dashboards show zeros before the first sign-in. */
    public void connection(String tenant, String connection) {
        journey(tenant, connection);
    }

    public void signInStarted(String tenant, String connection) {
        journey(tenant, connection).started.increment();
    }

    public void signInSucceeded(String tenant, String connection) {
        journey(tenant, connection).succeeded.increment();
    }

    public void signInFailed(String tenant, String connection, Reason reason) {
        journey(tenant, connection).failed(reason).increment();
    }

    public void error(Reason reason) {
        errors[reason.ordinal()].increment();
    }

    /** {@code outcome}: ok, http_4xx, http_5xx or error (no answer). */
    public void upstreamCall(String connection, String endpoint, String outcome, long nanos) {
        upstream.computeIfAbsent(connection, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> Timer.builder("signet.upstream.request").description("Calls to upstream endpoints")
                        .tags("connection", connection, "endpoint", endpoint, "outcome", o)
                        .serviceLevelObjectives(UPSTREAM_BUCKETS).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One request on the public listener, from its handler's start until the response was written
     * (without the time spent reading and parsing the request before it); {@code route} is the matched
     * route pattern (bounded: the mounted routes and the catch-all {@code /*}).
     */
    public void request(String method, String route, long nanos) {
        requests.computeIfAbsent(method, m -> new ConcurrentHashMap<>())
                .computeIfAbsent(route, r -> Timer.builder("signet.http.request").description("Requests on the public listener by route")
                        .tags("method", method, "route", r).serviceLevelObjectives(REQUEST_BUCKETS).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void tokenIssued(String grant, String client) {
        tokens.computeIfAbsent(grant, g -> new ConcurrentHashMap<>())
                .computeIfAbsent(client, c -> Counter.builder("signet.tokens.issued").description("Token responses by grant and client")
                        .tags("grant", grant, "client", c).register(registry))
                .increment();
    }

    /**
     * A request refused with 429: {@code endpoint} is the endpoint group (token, authorize, pages,
     * dev_form, callback), {@code reason} the limit (per_address, per_client, client_auth_backoff).
     */
    public void rateLimited(String endpoint, String reason) {
        rateLimited.computeIfAbsent(endpoint, e -> new ConcurrentHashMap<>())
                .computeIfAbsent(reason, r -> Counter.builder("signet.rate_limited").description("Requests refused by a rate limit")
                        .tags("endpoint", endpoint, "reason", r).register(registry))
                .increment();
    }

    /**
     * A hook call: {@code outcome} ok, denied, timeout or error; {@code decision} allowed or denied
     * (for a failed call, what its {@code on_failure} decided).
     */
    public void hookCall(String hook, String outcome, String decision) {
        hooks.computeIfAbsent(hook + '\u0000' + outcome + '\u0000' + decision, k -> Counter.builder("signet.hook.calls")
                .description("Hook calls by hook, outcome and the decision taken").tags("hook", hook, "outcome", outcome, "decision", decision)
                .register(registry)).increment();
    }

    /** A tolerant reader ignored {@code field} from {@code connection} for its wrong JSON type. */
    public void claimIgnored(String connection, String field) {
        claimsIgnored.computeIfAbsent(connection + '\u0000' + field, k -> Counter.builder("signet.upstream.claim_ignored")
                .description("Upstream fields ignored for their wrong JSON type, by connection and field")
                .tags("connection", connection, "field", field).register(registry)).increment();
    }

    /** An outbox delivery attempt: {@code outcome} delivered, failed (to be retried) or dead (its last attempt failed). */
    public void delivery(String sink, String outcome) {
        deliveries.computeIfAbsent(sink + '\u0000' + outcome, k -> Counter.builder("signet.outbox.deliveries")
                .description("Outbox delivery attempts by sink and outcome").tags("sink", sink, "outcome", outcome).register(registry))
                .increment();
    }

    public void store(boolean write, long nanos, boolean failed) {
        (write ? storeWrite : storeRead).record(nanos, TimeUnit.NANOSECONDS);
        if (failed) {
            (write ? storeWriteErrors : storeReadErrors).increment();
        }
    }

    /** A gauge read at scrape time (outbox backlog, dead letters, probe state…). */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(description).tags(tags).strongReference(true).register(registry);
    }

    /** A counter whose value is read at scrape time from {@code value} (a count kept elsewhere, e.g. reloads). */
    public void functionCounter(String name, String description, Supplier<Number> value, String... tags) {
        held.add(value); // Micrometer holds a function counter's object weakly
        FunctionCounter.builder(name, value, v -> v.get().doubleValue()).description(description).tags(tags).register(registry);
    }

    /** A counter registered on first use; for low-rate events (probe runs), not the sign-in path. */
    public void count(String name, String description, String... tags) {
        Counter.builder(name).description(description).tags(tags).register(registry).increment();
    }

    /** Prometheus text exposition format 0.0.4, rendered on the scrape thread (above); the caller waits for it. */
    public String scrape() {
        Future<String> text = scraper.submit(() -> registry.scrape());
        try {
            return text.get();
        } catch (InterruptedException e) {
            text.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a scrape", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
