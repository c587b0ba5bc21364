package dev.signet.app;

import dev.signet.connector.Connector;
import dev.signet.connector.ProbeHints;
import dev.signet.connector.Unsafe;
import dev.signet.probe.ProbeTarget;
import java.util.List;
import java.util.Optional;

/**
 * Turns the configuration in force into probe targets (every connection of every tenant on every
 * domain). The probe package is black-box and knows no connector kinds; what a probe may expect of a
 * connection comes from its connector's capabilities: {@link ProbeHints} (the authorization URL's
 * host) and {@link Unsafe} (served by Signet itself, so the whole journey can be walked).
 */
final class Probes {

    private Probes() {}

    static List<ProbeTarget> targets(Snapshot snapshot) {
        return snapshot.tenants().targets().stream().map(t -> {
            Optional<Connector> c = snapshot.connector(t.tenant().name(), t.connection().id());
            return new ProbeTarget(t.tenant().name(), t.tenant().domain().host(), t.tenant().urls().issuer(), t.connection().id(),
                    t.connection().kind(), c.flatMap(Probes::authorizationHost), c.map(k -> k instanceof Unsafe).orElse(false));
        }).toList();
    }

    private static Optional<String> authorizationHost(Connector c) {
        return c instanceof ProbeHints h ? h.authorizationHost() : Optional.empty();
    }
}
