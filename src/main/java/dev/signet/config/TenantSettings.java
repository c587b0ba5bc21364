package dev.signet.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One tenant: its default domain ({@code issuer}), its custom domains (each its own issuer), the
 * applications (clients) and upstreams (connections) it knows, and how its hosted pages look.
 *
 * @param issuer the default domain's issuer: absolute, no trailing slash, query or fragment
 * @param customDomains further base URLs serving this tenant; each is the issuer on that domain
 */
public record TenantSettings(String name, URI issuer, String displayName, Duration sessionTtl,
        List<ClientSettings> clients, List<ConnectionSettings> connections, List<URI> customDomains, Branding branding) {

    public TenantSettings withClients(List<ClientSettings> list) {
        return new TenantSettings(name, issuer, displayName, sessionTtl, list, connections, customDomains, branding);
    }

    public TenantSettings {
        clients = List.copyOf(clients);
        connections = List.copyOf(connections);
        customDomains = List.copyOf(customDomains);
    }

    /** Every base URL serving this tenant, the default domain first. */
    public List<URI> domainUrls() {
        List<URI> all = new ArrayList<>(1 + customDomains.size());
        all.add(issuer);
        all.addAll(customDomains);
        return List.copyOf(all);
    }
}
