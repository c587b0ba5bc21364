package dev.signet.app;

import dev.signet.config.ConnectionSettings;
import dev.signet.connector.dev.DevSettings;
import dev.signet.connector.oidc.OidcSettings;
import dev.signet.probe.ProbeTarget;
import dev.signet.tenant.Tenants;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Turns the configuration in force into probe targets (every connection of every tenant on every
 * domain). The probe package is black-box and knows no connector kinds, so the expected host of
 * each connection's authorization URL is worked out here, where the kinds are known.
 */
final class Probes {

    private Probes() {}

    static List<ProbeTarget> targets(Tenants tenants) {
        return tenants.targets().stream().map(t -> new ProbeTarget(t.tenant().name(), t.tenant().domain().host(),
                t.tenant().urls().issuer(), t.connection().id(), t.connection().kind(),
                upstreamHost(t.connection(), t.tenant().settings().issuer()), t.connection().options() instanceof DevSettings)).toList();
    }

    /**
     * The dev upstream is served by Signet on the tenant's default domain (connectors are opened
     * with its URLs); an OIDC connection's is its manual authorization endpoint or, with discovery,
     * its issuer's host; other kinds: only well-formedness is checked.
     */
    static Optional<String> upstreamHost(ConnectionSettings c, URI defaultIssuer) {
        return switch (c.options()) {
            case DevSettings d -> Optional.of(defaultIssuer.getHost());
            case OidcSettings o -> Optional.of(o.endpoints().map(OidcSettings.ManualEndpoints::authorization).orElse(o.issuer()).getHost());
            default -> Optional.empty();
        };
    }
}
