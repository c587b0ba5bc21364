package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.ConfigException;
import dev.signet.UnavailableException;
import dev.signet.config.ConfigLoader;
import dev.signet.config.SignetConfig;
import dev.signet.connector.ConnectorKinds;
import dev.signet.connector.UpstreamHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
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

    /**
     * The configuration in force and the last reload (issue 17: health and metrics show both).
     * {@code version} counts the configurations this process has served (1 at start, one more per
     * applied reload); {@code digest} is the SHA-256 (first 12 hex digits) of the file in force, empty
     * when it did not come from a file; {@code lastReload} is empty until the first reload.
     */
    public record State(long version, String digest, Instant since, Optional<LastReload> lastReload) {}

    /** One reload's result: {@code applied} or {@code rejected} (with how many problems), when and why. */
    public record LastReload(boolean applied, String trigger, Instant at, int problems) {}

    private final AtomicReference<Snapshot> current;
    private final ConnectorKinds kinds;
    private final UpstreamHttp upstream;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    private final UnaryOperator<SignetConfig> served;
    private final Consumer<SignetConfig> prepareKeys;
    private final Clock clock;
    private volatile State state;

    /**
     * {@code served}: what a loaded configuration becomes before it is served (the built-in probe
     * client added). {@code prepareKeys}: loads or creates the signing keys of every tenant of a
     * configuration about to be applied (a tenant the reload adds gets its own keys, issue 11).
     */
    ConfigReloader(AtomicReference<Snapshot> current, ConnectorKinds kinds, UpstreamHttp upstream, UnaryOperator<SignetConfig> served,
            Consumer<SignetConfig> prepareKeys, Clock clock) {
        this.current = current;
        this.kinds = kinds;
        this.upstream = upstream;
        this.served = served;
        this.prepareKeys = prepareKeys;
        this.clock = clock;
        this.state = new State(1, "", clock.instant(), Optional.empty());
    }

    /** The configuration in force and the last reload's result. */
    public State state() {
        return state;
    }

    /** The file the configuration in force came from (its digest identifies the version across nodes). */
    synchronized void source(Path file) {
        state = new State(state.version(), digest(file), state.since(), state.lastReload());
    }

    /** SHA-256 of the file, first 12 hex digits; empty when it cannot be read. */
    static String digest(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))).substring(0, 12);
        } catch (IOException e) {
            return "";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Loads {@code file} with {@code loader} and applies it, or rejects it keeping the last good. */
    public synchronized Outcome reload(ConfigLoader loader, Path file, String trigger) {
        String digest = digest(file);
        SignetConfig next;
        try {
            next = loader.load(file);
        } catch (ConfigException e) {
            return reject(trigger, e.problems().stream().map(Object::toString).toList());
        } catch (RuntimeException e) {
            return reject(trigger, List.of(file + ": " + e.getMessage()));
        }
        return apply(next, trigger, digest);
    }

    /** Applies an already loaded configuration (validated by the loader) if its snapshot builds. */
    public synchronized Outcome apply(SignetConfig next, String trigger) {
        return apply(next, trigger, "");
    }

    private Outcome apply(SignetConfig next, String trigger, String digest) {
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
        Instant now = clock.instant();
        state = new State(state.version() + 1, digest, now, Optional.of(new LastReload(true, trigger, now, 0)));
        LOG.info("configuration reloaded", kv("trigger", trigger), kv("version", state.version()), kv("digest", digest),
                kv("tenants", next.tenants().size()),
                kv("domains", built.tenants().onEveryDomain().size()), kv("connections", built.tenants().targets().size()));
        if (!restart.isEmpty()) {
            LOG.warn("configuration changes that take effect only after a restart", kv("sections", restart));
        }
        return new Outcome(true, List.of(), restart);
    }

    private Outcome reject(String trigger, List<String> problems) {
        rejected.incrementAndGet();
        State s = state;
        state = new State(s.version(), s.digest(), s.since(),
                Optional.of(new LastReload(false, trigger, clock.instant(), problems.size())));
        LOG.error("configuration reload rejected; the last good configuration stays in force", kv("trigger", trigger),
                kv("problem_count", problems.size()), kv("problems", problems), kv("version_in_force", s.version()));
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
        if (a.server().verifiedTokenCache() != b.server().verifiedTokenCache()) {
            out.add("server.verified_token_cache");
        }
        if (a.server().maxConnections() != b.server().maxConnections() || !a.server().idleTimeout().equals(b.server().idleTimeout())) {
            out.add("server.max_connections/idle_timeout");
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
