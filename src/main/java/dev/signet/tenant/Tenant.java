package dev.signet.tenant;

import dev.signet.config.ClientSettings;
import dev.signet.config.ConnectionSettings;
import dev.signet.config.TenantSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A tenant as served: its settings, clients and connections indexed by id, and its URL builder. */
public final class Tenant {

    private final TenantSettings settings;
    private final Map<String, ClientSettings> clients;
    private final Map<String, ConnectionSettings> connections;
    private final Urls urls;

    public Tenant(TenantSettings settings) {
        this.settings = settings;
        Map<String, ClientSettings> c = new LinkedHashMap<>();
        settings.clients().forEach(x -> c.put(x.id(), x));
        this.clients = Map.copyOf(c);
        Map<String, ConnectionSettings> k = new LinkedHashMap<>();
        settings.connections().forEach(x -> k.put(x.id(), x));
        this.connections = k;
        this.urls = new Urls(settings.issuer());
    }

    public String name() {
        return settings.name();
    }

    public TenantSettings settings() {
        return settings;
    }

    public Urls urls() {
        return urls;
    }

    public String issuer() {
        return urls.issuer().toString();
    }

    public Optional<ClientSettings> client(String id) {
        return Optional.ofNullable(clients.get(id));
    }

    public Optional<ConnectionSettings> connection(String id) {
        return Optional.ofNullable(connections.get(id));
    }
}
