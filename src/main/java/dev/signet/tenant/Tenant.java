package dev.signet.tenant;

import dev.signet.config.Branding;
import dev.signet.config.ClientSettings;
import dev.signet.config.ConnectionSettings;
import dev.signet.config.TenantSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant as served on one of its domains: its settings, clients and connections indexed by id,
 * and the URL builder bound to that domain. {@link #issuer()} and {@link #urls()} are the
 * domain's, so everything built from a request's {@code Tenant} (discovery, tokens' {@code iss},
 * redirects, callback URLs) stays on the domain the request came in on. {@link #name()} is the
 * tenant's, shared by all its domains (rows in the store are scoped by it).
 */
public final class Tenant {

    private final TenantSettings settings;
    private final Map<String, ClientSettings> clients;
    private final Map<String, ConnectionSettings> connections;
    private final Domain domain;
    private final List<Domain> domains;
    private final Urls urls;

    /** The tenant on its default domain. */
    public Tenant(TenantSettings settings) {
        this(settings, 0);
    }

    private Tenant(TenantSettings settings, int domainIndex) {
        this.settings = settings;
        Map<String, ClientSettings> c = new LinkedHashMap<>();
        settings.clients().forEach(x -> c.put(x.id(), x));
        this.clients = Map.copyOf(c);
        Map<String, ConnectionSettings> k = new LinkedHashMap<>();
        settings.connections().forEach(x -> k.put(x.id(), x));
        this.connections = k;
        var urls = settings.domainUrls();
        this.domains = java.util.stream.IntStream.range(0, urls.size()).mapToObj(i -> Domain.of(urls.get(i), i > 0)).toList();
        this.domain = domains.get(domainIndex);
        this.urls = new Urls(domain.issuer());
    }

    /** This tenant once per domain, the default domain first. */
    public static List<Tenant> onEveryDomain(TenantSettings settings) {
        return java.util.stream.IntStream.range(0, settings.domainUrls().size()).mapToObj(i -> new Tenant(settings, i)).toList();
    }

    public String name() {
        return settings.name();
    }

    public TenantSettings settings() {
        return settings;
    }

    /** The domain this view is bound to (the request's). */
    public Domain domain() {
        return domain;
    }

    /** Every domain of the tenant, the default first. */
    public List<Domain> domains() {
        return domains;
    }

    public Branding branding() {
        return settings.branding();
    }

    /** The URL builder on {@link #domain()}. */
    public Urls urls() {
        return urls;
    }

    /** The issuer on {@link #domain()}. */
    public String issuer() {
        return urls.issuer().toString();
    }

    public Optional<ClientSettings> client(String id) {
        return Optional.ofNullable(clients.get(id));
    }

    public Optional<ConnectionSettings> connection(String id) {
        return Optional.ofNullable(connections.get(id));
    }

    @Override
    public String toString() {
        return settings.name() + "@" + domain.issuer();
    }
}
