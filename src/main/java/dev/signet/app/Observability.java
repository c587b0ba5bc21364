package dev.signet.app;

import dev.signet.Ids;
import dev.signet.SignetException;
import dev.signet.config.ObserveSettings;
import dev.signet.connector.UpstreamObserver;
import dev.signet.observe.AccessLog;
import dev.signet.observe.HttpObserver;
import dev.signet.observe.SignetMetrics;
import dev.signet.observe.Tracing;
import dev.signet.store.Transactions;
import dev.signet.store.Tx;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.observe.Health;
import dev.signet.observe.LogLimiter;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.signet.store.jdbc.Database;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Metrics and traces wired around the capabilities that must not know the libraries: the store
 * (a {@link Transactions} decorator: latency, errors, a span per transaction) and upstream calls
 * (an {@link UpstreamObserver}: latency histogram by connection × endpoint, a client span, W3C
 * {@code traceparent} on the request).
 */
final class Observability implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Observability.class);
    /** At most one "claim ignored" line per connection × field this often. */
    static final Duration CLAIM_LOG_EVERY = Duration.ofMinutes(1);

    final SignetMetrics metrics = new SignetMetrics();
    final Tracing tracing;
    final HttpObserver http;

    Observability(ObserveSettings settings, List<SpanExporter> exporters) {
        this.tracing = Tracing.create(settings.tracing(), exporters);
        this.http = new HttpObserver(tracing, new AccessLog(settings.logging().accessLog()), Ids::correlationId);
    }

    Transactions store(Transactions store) {
        return new Transactions() {
            @Override
            public <T> T write(Function<Tx, T> work) {
                return observe(true, () -> store.write(work));
            }

            @Override
            public <T> T read(Function<Tx, T> work) {
                return observe(false, () -> store.read(work));
            }
        };
    }

    private interface Work<T> {
        T run();
    }

    private <T> T observe(boolean write, Work<T> work) {
        long start = System.nanoTime();
        Span span = tracing.start(write ? "store.write" : "store.read", SpanKind.INTERNAL);
        boolean failed = true;
        try (Scope ignored = span.makeCurrent()) {
            T result = work.run();
            failed = false;
            return result;
        } catch (SignetException e) {
            // A typed failure inside the transaction (e.g. a protocol error) is not a store error.
            failed = e instanceof dev.signet.UnavailableException;
            if (failed) {
                Tracing.fail(span, e.reason().code(), e);
            }
            throw e;
        } finally {
            metrics.store(write, System.nanoTime() - start, failed && !Thread.currentThread().isInterrupted());
            span.end();
        }
    }

    /**
     * The configuration's meters (issue 17): {@code signet_config_version} (the version in force,
     * 1 at start, one more per applied reload), {@code signet_config_reloads_total{outcome}},
     * {@code signet_config_last_reload_success} (1 applied, 0 rejected, NaN before the first reload)
     * and {@code signet_config_last_reload_timestamp_seconds}.
     */
    static void config(SignetMetrics metrics, ConfigReloader reloader) {
        metrics.gauge("signet.config.version", "The configuration version in force (1 at start, one more per applied reload)",
                () -> reloader.state().version());
        metrics.functionCounter("signet.config.reloads", "Configuration reloads by outcome", reloader::applied, "outcome", "applied");
        metrics.functionCounter("signet.config.reloads", "Configuration reloads by outcome", reloader::rejected, "outcome", "rejected");
        metrics.gauge("signet.config.last_reload.success", "1 when the last reload was applied, 0 when it was rejected",
                () -> reloader.state().lastReload().map(r -> r.applied() ? 1.0 : 0.0).orElse(Double.NaN));
        metrics.gauge("signet.config.last_reload.timestamp.seconds", "When the last reload ran (epoch seconds)",
                () -> reloader.state().lastReload().map(r -> (double) r.at().getEpochSecond()).orElse(Double.NaN));
    }

    /**
     * The verified-token cache (issue 16): {@code signet_verified_tokens_cached} (entries now, at most
     * {@code server.verified_token_cache}) and {@code signet_verified_tokens_lookups_total{result=hit|miss}}.
     */
    static void verifiedTokens(SignetMetrics metrics, dev.signet.keys.JwtVerifier verifier) {
        metrics.gauge("signet.verified_tokens.cached", "Access tokens remembered as verified (signature, typ, iss, exp)", verifier::cached);
        metrics.functionCounter("signet.verified_tokens.lookups", "Access-token checks answered from the verified-token cache or not",
                verifier::cacheHits, "result", "hit");
        metrics.functionCounter("signet.verified_tokens.lookups", "Access-token checks answered from the verified-token cache or not",
                verifier::cacheMisses, "result", "miss");
    }

    /**
     * {@code /health/ready}: {@code serving} (down first on shutdown: the load balancer drains the
     * node), {@code store} (a read and a rolled-back write), {@code keys}, {@code config}; and the
     * {@code config} section (version in force, last reload).
     */
    static Health health(java.util.concurrent.atomic.AtomicBoolean stopping, Database db, java.util.function.Supplier<Snapshot> current,
            dev.signet.keys.TenantKeys keys, ConfigReloader reloader) {
        return new Health(List.of(
                new Health.Check("serving", () -> !stopping.get()),
                new Health.Check("store", () -> storeReady(db)),
                new Health.Check("keys", () -> current.get().tenants().onEveryDomain().stream()
                        .allMatch(t -> !keys.keys(t.name()).publicKeys().getKeys().isEmpty())),
                new Health.Check("config", () -> !current.get().tenants().onEveryDomain().isEmpty())),
                List.of(new Health.Section("config", () -> config(reloader.state()))));
    }

    /** The {@code config} section of {@code /health/ready}: the version in force and the last reload's result. */
    static Map<String, Object> config(ConfigReloader.State s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", s.version());
        m.put("digest", s.digest());
        m.put("since", s.since().toString());
        s.lastReload().ifPresent(r -> {
            Map<String, Object> last = new LinkedHashMap<>();
            last.put("outcome", r.applied() ? "applied" : "rejected");
            last.put("trigger", r.trigger());
            last.put("at", r.at().toString());
            last.put("problems", r.problems());
            m.put("last_reload", last);
        });
        return m;
    }

    /**
     * Readiness of the store: can a sign-in complete now? A read, and a write that is rolled back
     * (a database that answers reads but refuses writes cannot store a session).
     */
    static boolean storeReady(Database db) throws Health.Down {
        try {
            db.read(tx -> Boolean.TRUE);
        } catch (SignetException e) {
            throw new Health.Down("reads refused: " + e.reason().code());
        }
        try {
            db.writeRolledBack();
        } catch (SignetException e) {
            throw new Health.Down("writes refused: " + e.reason().code());
        }
        return true;
    }

    /**
     * Upstream calls (latency by connection × endpoint, a client span, {@code traceparent}) and the
     * fields tolerant readers ignored (issue 17): {@code signet_upstream_claim_ignored_total{connection,field}}
     * and a WARN line per connection × field, rate-limited ({@link #CLAIM_LOG_EVERY}).
     */
    UpstreamObserver upstream(Clock clock) {
        LogLimiter limiter = new LogLimiter(CLAIM_LOG_EVERY, clock);
        return new UpstreamObserver() {
            @Override
            public Call start(String connection, String endpoint) {
                return call(connection, endpoint);
            }

            @Override
            public void ignored(String connection, String payload, String field, String found) {
                metrics.claimIgnored(connection, field);
                long suppressed = limiter.permit(connection + '\u0000' + field);
                if (suppressed >= 0) {
                    LOG.warn("upstream claim ignored: wrong type", kv("connection", connection), kv("payload", payload), kv("field", field),
                            kv("found", found), kv("expected", "string"), kv("suppressed", suppressed));
                }
            }
        };
    }

    private UpstreamObserver.Call call(String connection, String endpoint) {
        String label = endpoint.replace(' ', '_').toLowerCase(Locale.ROOT);
        long start = System.nanoTime();
        Span span = tracing.start("upstream " + label, SpanKind.CLIENT);
        span.setAttribute(Tracing.CONNECTION, connection);
        return new UpstreamObserver.Call() {
            @Override
            public Map<String, String> headers() {
                return Tracing.traceparent(span);
            }

            @Override
            public void end(int status, @Nullable Throwable error) {
                String outcome = status == 0 ? "error" : status >= 500 ? "http_5xx" : status >= 400 ? "http_4xx" : "ok";
                metrics.upstreamCall(connection, label, outcome, System.nanoTime() - start);
                if (status == 0 || status >= 500) {
                    Tracing.fail(span, "upstream.unreachable", error);
                }
                span.end();
            }
        };
    }

    @Override
    public void close() {
        tracing.close();
    }
}
