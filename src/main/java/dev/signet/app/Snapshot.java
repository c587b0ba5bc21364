package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.config.ConnectionSettings;
import dev.signet.config.SignetConfig;
import dev.signet.config.TenantSettings;
import dev.signet.connector.Connector;
import dev.signet.connector.ConnectorKinds;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.Unsafe;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The immutable runtime view of one configuration: tenants on their domains and the open
 * connectors. Signet holds exactly one in an {@code AtomicReference}; a reload builds a complete new
 * one and swaps it in one step, so a request sees either the old or the new configuration, never a
 * mix. Connectors whose settings did not change are carried over (they keep their cached upstream
 * discovery).
 */
public record Snapshot(SignetConfig config, Tenants tenants, Map<String, Map<String, Connector>> connectors) {

    private static final Logger LOG = LoggerFactory.getLogger(Snapshot.class);

    public Snapshot {
        Map<String, Map<String, Connector>> copy = new LinkedHashMap<>();
        connectors.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
        connectors = java.util.Collections.unmodifiableMap(copy);
    }

    static Snapshot build(SignetConfig config, ConnectorKinds kinds, UpstreamHttp upstream, @Nullable Snapshot previous) {
        Tenants tenants = Tenants.of(config);
        Map<String, Map<String, Connector>> all = new LinkedHashMap<>();
        for (TenantSettings t : config.tenants()) {
            Tenant onDefault = tenants.byName(t.name()).orElseThrow();
            Map<String, Connector> open = new LinkedHashMap<>();
            for (ConnectionSettings c : t.connections()) {
                Optional<Connector> same = previous == null ? Optional.empty() : previous.unchanged(t, c);
                Connector connector = same.orElseGet(() -> kinds.open(c, new ConnectorKinds.Deps(onDefault.urls(), upstream)));
                open.put(c.id(), connector);
                if (connector instanceof Unsafe u && same.isEmpty()) {
                    LOG.warn(u.unsafeWarning(), kv("tenant", t.name()), kv("connection", c.id()), kv("host", config.server().host()));
                }
            }
            all.put(t.name(), open);
        }
        return new Snapshot(config, tenants, all);
    }

    public Optional<Connector> connector(String tenant, String connectionId) {
        return Optional.ofNullable(connectors.getOrDefault(tenant, Map.of()).get(connectionId));
    }

    /** The open connector for {@code c} if this snapshot has one with the same settings on a tenant with the same issuer. */
    private Optional<Connector> unchanged(TenantSettings tenant, ConnectionSettings c) {
        boolean same = config.tenants().stream()
                .filter(t -> t.name().equals(tenant.name()) && t.issuer().equals(tenant.issuer()))
                .flatMap(t -> t.connections().stream()).anyMatch(c::equals);
        return same ? connector(tenant.name(), c.id()) : Optional.empty();
    }
}
