package dev.signet.config;

import dev.signet.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the YAML configuration into immutable records, collecting every problem with its path
 * (dex cmd/dex/config.go Validate) and throwing one {@link ConfigException} that lists them all.
 */
public final class ConfigLoader {

    /** The built-in configuration used when no file is given: tenant default, demo client, dev connection. */
    public static final String DEFAULT_RESOURCE = "/signet-default.yaml";
    /** Client id of the built-in demo application served at {@code /demo}. */
    public static final String DEMO_CLIENT_ID = "signet-demo";

    /** RFC 8628 §7.2: the device authorization grant's registered grant type. */
    public static final String DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    /** The top-level sections, each one record ({@link SignetConfig} lists where each lands). */
    static final Set<String> SECTIONS = Set.of("server", "data", "tenants", "sessions", "events", "hooks", "management", "logging",
            "tracing", "probes", "rate_limits", "keys");

    private final ConnectionKinds kinds;
    private final Map<String, String> env;

    public ConfigLoader(ConnectionKinds kinds, Map<String, String> env) {
        this.kinds = kinds;
        this.env = Map.copyOf(env);
    }

    public SignetConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigException.Problem(file.toString(), "cannot read the file: " + e.getMessage())));
        }
        return parse(text, file.toString());
    }

    public SignetConfig loadDefault() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("built-in configuration missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "(built-in default)");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in configuration", e);
        }
    }

    public SignetConfig parse(String yaml, String source) {
        JsonNode root;
        try {
            // A repeated key would otherwise silently win over the first (e.g. a second "clients:").
            root = YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build().readTree(yaml);
        } catch (JacksonException e) {
            String where = e.getLocation() == null || e.getOriginalMessage().contains(" line ") ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ConfigException(List.of(new ConfigException.Problem(source, "is not valid YAML: " + e.getOriginalMessage() + where)));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException(List.of(new ConfigException.Problem(source, "must be a YAML mapping")));
        }
        Problems problems = new Problems();
        ConfigNode top = new ConfigNode(root, "", problems, env);
        top.allowOnly(SECTIONS);
        // one record per section, each read by its own read(...) from that section's node
        ServerSettings server = ServerSettings.read(top.child("server"));
        DataSettings data = DataSettings.read(top.child("data"));
        List<TenantSettings> tenants = tenants(top, server);
        ContainmentSettings containment = new ContainmentSettings(ContainmentSettings.Sessions.read(top.child("sessions")),
                ContainmentSettings.Events.read(top.child("events")), ContainmentSettings.HookSettings.readAll(top.list("hooks")));
        ObserveSettings observe = new ObserveSettings(ObserveSettings.Management.read(top.child("management")),
                ObserveSettings.Logging.read(top.child("logging")), ObserveSettings.Tracing.read(top.child("tracing")),
                ObserveSettings.Probes.read(top.child("probes")));
        RateLimitSettings rateLimits = RateLimitSettings.read(top.child("rate_limits"));
        KeySettings keys = KeySettings.read(top.child("keys"));
        problems.throwIfAny();
        return new SignetConfig(server, data, tenants, containment, observe, rateLimits, keys);
    }

    private List<TenantSettings> tenants(ConfigNode top, ServerSettings server) {
        List<ConfigNode> nodes = top.list("tenants");
        if (nodes.isEmpty()) {
            top.problem("tenants", "must list at least one tenant");
        }
        List<TenantSettings> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (i > 0 && !nodes.get(i).has("issuer")) {
                nodes.get(i).problem("issuer", "is required for every tenant but the first (which defaults to server.public_url)");
            }
            out.add(tenant(nodes.get(i), server));
        }
        DomainRules.uniqueNames(top, out);
        DomainRules.uniqueHosts(top, out);
        return out;
    }

    private TenantSettings tenant(ConfigNode n, ServerSettings server) {
        n.allowOnly(Set.of("name", "issuer", "display_name", "session_ttl", "demo_client", "clients", "connections",
                "custom_domains", "branding"));
        String name = n.string("name");
        DomainRules.tenantName(n, name);
        URI issuer = n.optString("issuer").flatMap(u -> DomainRules.domain(n, "issuer", u)).orElse(server.publicUrl());
        List<URI> customDomains = new ArrayList<>();
        List<String> rawDomains = n.strings("custom_domains");
        for (int i = 0; i < rawDomains.size(); i++) {
            DomainRules.domain(n, "custom_domains[" + i + "]", rawDomains.get(i)).ifPresent(customDomains::add);
        }
        String display = n.optString("display_name").orElse(name);
        Duration sessionTtl = n.duration("session_ttl", Duration.ofHours(24));
        List<ClientSettings> clients = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (n.bool("demo_client", false)) {
            List<URI> demoCallbacks = new ArrayList<>();
            demoCallbacks.add(DomainRules.under(issuer, "/demo/callback"));
            customDomains.forEach(d -> demoCallbacks.add(DomainRules.under(d, "/demo/callback")));
            clients.add(ClientSettings.builtIn(DEMO_CLIENT_ID, "Signet demo app", demoCallbacks)
                    .withGrantTypes(Set.of("authorization_code", "refresh_token")));
            ids.add(DEMO_CLIENT_ID);
        }
        java.util.Map<ConfigNode, ClientSettings> configured = new java.util.LinkedHashMap<>();
        for (ConfigNode c : n.list("clients")) {
            ClientSettings client = ClientSettings.read(c);
            if (!ids.add(client.id())) {
                c.problem("id", "duplicates client id '" + client.id() + "'");
            }
            clients.add(client);
            configured.put(c, client);
        }
        ClientAuthRules.audiencesKnown(configured, clients);
        List<ConnectionSettings> connections = new ArrayList<>();
        Set<String> connIds = new HashSet<>();
        List<ConfigNode> connNodes = n.list("connections");
        if (connNodes.isEmpty()) {
            n.problem("connections", "must list at least one connection (an upstream to sign in with)");
        }
        for (ConfigNode c : connNodes) {
            connection(c, server).ifPresent(conn -> {
                if (!connIds.add(conn.id())) {
                    c.problem("id", "duplicates connection id '" + conn.id() + "'");
                }
                connections.add(conn);
            });
        }
        return new TenantSettings(name, issuer, display, sessionTtl, clients, connections, customDomains,
                Branding.read(n));
    }

    static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.equals("[::1]") || ServerSettings.isIpv4Loopback(host));
    }

    private Optional<ConnectionSettings> connection(ConfigNode c, ServerSettings server) {
        String id = c.string("id");
        if (!id.isEmpty() && !id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            c.problem("id", "must be lowercase letters, digits and '-' (it appears in the callback URL)");
        }
        String kind = c.string("kind");
        String name = c.optString("name").orElse(id);
        List<String> domains = c.strings("email_domains");
        boolean record = c.bool("record", true);
        int recordLimit = c.integer("record_limit", ConnectionSettings.RECORD_LIMIT, 1, 10_000);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        Optional<ConnectionKinds.Options> options = kinds.read(kind, c, server);
        if (options.isEmpty()) {
            c.problem("kind", "unknown connection kind '" + kind + "' (known: " + String.join(", ", kinds.names().stream().sorted().toList()) + ")");
            return Optional.empty();
        }
        return Optional.of(new ConnectionSettings(id, kind, name, domains, options.get(), record, recordLimit));
    }
}
