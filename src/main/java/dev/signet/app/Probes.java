package dev.signet.app;

import dev.signet.broker.SignInPolicy;
import dev.signet.connector.Connector;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.ProbeHints;
import dev.signet.connector.Unsafe;
import dev.signet.connector.UpstreamRecheck;
import java.time.Duration;
import dev.signet.probe.ProbeRunner;
import dev.signet.probe.ProbeTarget;
import java.util.List;
import java.util.Optional;

/**
 * Turns the configuration in force into probe targets (every connection of every tenant on every
 * domain). The probe package is black-box and knows no connector kinds; what a probe may expect of a
 * connection comes from its connector's capabilities: {@link ProbeHints} (the authorization URL's
 * host), {@link Unsafe} (served by Signet itself, so the whole journey can be walked) and {@link
 * UpstreamRecheck} (what to refetch at the upstream on every run).
 */
final class Probes {

    private Probes() {}

    static List<ProbeTarget> targets(Snapshot snapshot, UpstreamHttp upstream, Duration timeout) {
        return snapshot.tenants().targets().stream().map(t -> {
            Optional<Connector> c = snapshot.connector(t.tenant().name(), t.connection().id());
            return new ProbeTarget(t.tenant().name(), t.tenant().domain().host(), t.tenant().urls().issuer(), t.connection().id(),
                    t.connection().kind(), c.flatMap(Probes::authorizationHost), c.map(k -> k instanceof Unsafe).orElse(false),
                    c.flatMap(k -> UpstreamRecheck.of(k, upstream, timeout)));
        }).toList();
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
