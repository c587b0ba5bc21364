package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.broker.SignInPolicy;
import dev.signet.connector.ConfigHints;
import dev.signet.connector.Connector;
import dev.signet.connector.DiscoveryCache;
import dev.signet.drift.DriftWatcher;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.ProbeHints;
import dev.signet.connector.Unsafe;
import dev.signet.connector.UpstreamRecheck;
import java.time.Duration;
import dev.signet.probe.LastDrift;
import dev.signet.probe.ProbeRunner;
import dev.signet.probe.ProbeTarget;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Turns the configuration in force into probe targets (every connection of every tenant on every
 * domain). The probe package is black-box and knows no connector kinds; what a probe may expect of a
 * connection comes from its connector's capabilities: {@link ProbeHints} (the authorization URL's
 * host), {@link Unsafe} (served by Signet itself, so the whole journey can be walked) and {@link
 * UpstreamRecheck} (what to refetch at the upstream on every run).
 */
final class Probes {

    private static final Logger LOG = LoggerFactory.getLogger(Probes.class);

    private Probes() {}

    static List<ProbeTarget> targets(Snapshot snapshot, UpstreamHttp upstream, Duration timeout, DriftWatcher drift) {
        return snapshot.tenants().targets().stream().map(t -> {
            Optional<Connector> c = snapshot.connector(t.tenant().name(), t.connection().id());
            return new ProbeTarget(t.tenant().name(), t.tenant().domain().host(), t.tenant().urls().issuer(), t.connection().id(),
                    t.connection().kind(), c.flatMap(Probes::authorizationHost), c.map(k -> k instanceof Unsafe).orElse(false),
                    c.flatMap(k -> watched(t.tenant().name(), k, upstream, timeout, drift)));
        }).toList();
    }

    /**
     * The probe's upstream check with the drift watcher behind it: every document the check
     * refetched, also when the check then fails (a new issuer), is compared with what was seen
     * before. When this node's previous look had another discovery document, the connector forgets
     * its kept copy, so sign-ins follow the upstream's new endpoints. The watcher never fails a probe.
     */
    private static Optional<Callable<String>> watched(String tenant, Connector k, UpstreamHttp upstream, Duration timeout, DriftWatcher drift) {
        return UpstreamRecheck.of(k, upstream, timeout).map(plain -> () -> {
            Map<String, JsonNode> fetched = new ConcurrentHashMap<>();
            try {
                return UpstreamRecheck.of(k, upstream, timeout, fetched::put).orElse(plain).call();
            } finally {
                try {
                    DriftWatcher.Look look = drift.look(tenant, k.id(), Optional.ofNullable(fetched.get("discovery")),
                            Optional.ofNullable(fetched.get("jwks")));
                    if (look.discoveryChanged() && k instanceof DiscoveryCache d) {
                        d.forgetDiscovery();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("upstream drift not checked", kv("tenant", tenant), kv("connection", k.id()), kv("detail", e.toString()));
                }
            }
        });
    }

    /** A tenant's last drift per connection, as the probe status shows it. */
    static java.util.function.Function<String, Map<String, LastDrift>> lastDrifts(DriftWatcher drift) {
        return tenant -> {
            Map<String, LastDrift> out = new java.util.LinkedHashMap<>();
            drift.last(tenant).forEach((connection, f) -> out.put(connection, new LastDrift(f.field(),
                    f.previous().map(DriftWatcher::show).orElse(""), DriftWatcher.show(f.value()), f.hint().orElse(""),
                    f.changedAt().orElse(f.seenAt()))));
            return out;
        };
    }

    /** The config lines a connector's kind offers for a drifted field ({@link ConfigHints}); none for other kinds. */
    static DriftWatcher.Hints hints(java.util.function.Supplier<Snapshot> current) {
        return (tenant, connection, field, now) -> current.get().connector(tenant, connection)
                .map(c -> c instanceof ConfigHints h ? h.configLines(field, now) : List.<String>of()).orElse(List.of());
    }

    private static Optional<String> authorizationHost(Connector c) {
        return c instanceof ProbeHints h ? h.authorizationHost() : Optional.empty();
    }

    /**
     * What the sign-in page knows about a connection's upstream: unavailable while its circuit
     * breaker is open (repeated failures just now), or while its latest probe on any domain failed at
     * the upstream itself: step {@code upstream} (the authorization URL did not answer) or step
     * {@code upstream_metadata} (the discovery document, its issuer or the signing keys, refetched
     * every run: a changed issuer, or no key to verify ID tokens with, fails every OIDC sign-in at its
     * callback, after the user typed a password at the upstream). Anything else, including a probe
     * that failed at Signet's own steps, keeps the connection offered.
     */
    static SignInPolicy.Availability availability(UpstreamHttp upstream, ProbeRunner probes) {
        return (tenant, connection) -> {
            if ("OPEN".equals(upstream.breakerState(connection))) {
                return Optional.of("calls to it are paused after repeated failures");
            }
            return probes.status().values().stream().map(ProbeRunner.Status::latest)
                    .filter(r -> !r.ok() && r.target().tenant().equals(tenant) && r.target().connection().equals(connection))
                    .map(r -> switch (r.step()) {
                        case "upstream" -> Optional.of("it did not answer the latest check");
                        case "upstream_metadata" -> Optional.of("its configuration or signing keys failed the latest check");
                        default -> Optional.<String>empty();
                    })
                    .flatMap(Optional::stream).findFirst();
        };
    }
}
