package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.ConfigException;
import dev.signet.UnavailableException;
import dev.signet.config.ConfigLoader;
import dev.signet.config.SignetConfig;
import dev.signet.connector.ConnectorKinds;
import dev.signet.connector.UpstreamHttp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration reload with last-known-good. The new file is loaded and validated completely, the
 * whole runtime {@link Snapshot} is built from it (connectors opened), and only then swapped in with
 * one {@code AtomicReference.set}: every request reads the snapshot once when it starts, so it runs
 * wholly on the old or wholly on the new configuration. Any problem rejects the reload, lists every
 * problem in the log, counts it, and leaves the configuration in force untouched.
 *
 * <p>In-flight sign-ins: their state lives in the store (pending authorization, upstream login) and
 * names the tenant, client and connection by id. Each step resolves those ids against the
 * configuration in force, so a sign-in started before a reload completes with the connection's
 * current settings (e.g. a rotated client secret), and fails with a clear reason code only if the
 * reload removed its client or connection. Keeping old snapshots alive per journey was rejected:
 * it would keep serving a configuration the operator just replaced (a revoked secret, a removed
 * upstream) for up to the journey's lifetime.
 *
 * <p>Not applied live (reported as a warning, take effect at the next start): {@code server.host},
 * {@code server.port}, {@code data}, the failure-containment sections and {@code rate_limits}, which
 * are wired once.
 */
public final class ConfigReloader {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    /** What a reload did. {@code problems} lists every reason for a rejection. */
    public record Outcome(boolean applied, List<String> problems, List<String> needRestart) {}

    private final AtomicReference<Snapshot> current;
    private final ConnectorKinds kinds;
    private final UpstreamHttp upstream;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    private final UnaryOperator<SignetConfig> served;
    private final Consumer<SignetConfig> prepareKeys;

    /**
     * {@code served}: what a loaded configuration becomes before it is served (the built-in probe
     * client added). {@code prepareKeys}: loads or creates the signing keys of every tenant of a
     * configuration about to be applied (a tenant the reload adds gets its own keys, issue 11).
     */
    ConfigReloader(AtomicReference<Snapshot> current, ConnectorKinds kinds, UpstreamHttp upstream, UnaryOperator<SignetConfig> served,
            Consumer<SignetConfig> prepareKeys) {
        this.current = current;
        this.kinds = kinds;
        this.upstream = upstream;
        this.served = served;
        this.prepareKeys = prepareKeys;
    }

    /** Loads {@code file} with {@code loader} and applies it, or rejects it keeping the last good. */
    public synchronized Outcome reload(ConfigLoader loader, Path file, String trigger) {
        SignetConfig next;
        try {
            next = loader.load(file);
        } catch (ConfigException e) {
            return reject(trigger, e.problems().stream().map(Object::toString).toList());
        } catch (RuntimeException e) {
            return reject(trigger, List.of(file + ": " + e.getMessage()));
        }
        return apply(next, trigger);
    }

    /** Applies an already loaded configuration (validated by the loader) if its snapshot builds. */
    public synchronized Outcome apply(SignetConfig next, String trigger) {
        Snapshot before = current.get();
        Snapshot built;
        try {
            built = Snapshot.build(served.apply(next), kinds, upstream, before);
        } catch (RuntimeException e) {
            return reject(trigger, List.of("cannot open the new configuration: " + e.getMessage()));
        }
        List<String> restart = needRestart(before.config(), next);
        try {
            prepareKeys.accept(next);
        } catch (UnavailableException e) {
            // not a reason to keep the old configuration: a new tenant's keys are then created on its first use
            LOG.warn("cannot prepare the signing keys of the reloaded tenants now; they are created on first use",
                    kv("detail", e.getMessage()));
        }
        current.set(built);
        applied.incrementAndGet();
        LOG.info("configuration reloaded", kv("trigger", trigger), kv("tenants", next.tenants().size()),
                kv("domains", built.tenants().onEveryDomain().size()), kv("connections", built.tenants().targets().size()));
        if (!restart.isEmpty()) {
            LOG.warn("configuration changes that take effect only after a restart", kv("sections", restart));
        }
        return new Outcome(true, List.of(), restart);
    }

    private Outcome reject(String trigger, List<String> problems) {
        rejected.incrementAndGet();
        LOG.error("configuration reload rejected; the last good configuration stays in force", kv("trigger", trigger),
                kv("problem_count", problems.size()), kv("problems", problems));
        return new Outcome(false, problems, List.of());
    }

    private static List<String> needRestart(SignetConfig a, SignetConfig b) {
        List<String> out = new ArrayList<>();
        if (!a.server().host().equals(b.server().host()) || a.server().port() != b.server().port()) {
            out.add("server.host/port");
        }
        if (!a.server().clockSkew().equals(b.server().clockSkew())) {
            out.add("server.clock_skew");
        }
        if (!a.data().equals(b.data())) {
            out.add("data");
        }
        if (!a.containment().equals(b.containment())) {
            out.add("failure containment (webhooks, hooks, relay, outage cache)");
        }
        if (!a.rateLimits().equals(b.rateLimits())) {
            out.add("rate_limits");
        }
        return out;
    }

    /** Reloads applied since start (for metrics). */
    public long applied() {
        return applied.get();
    }

    /** Reloads rejected since start (for metrics). */
    public long rejected() {
        return rejected.get();
    }
}
