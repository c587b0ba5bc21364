package dev.signet.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** One tenant: its issuer, the applications (clients) and upstreams (connections) it knows. */
public record TenantSettings(String name, URI issuer, String displayName, Duration sessionTtl,
        List<ClientSettings> clients, List<ConnectionSettings> connections) {
    public TenantSettings {
        clients = List.copyOf(clients);
        connections = List.copyOf(connections);
    }
}
