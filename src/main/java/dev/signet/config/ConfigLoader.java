package dev.signet.config;

import dev.signet.ConfigException;
import dev.signet.Ids;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
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
    static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials", DEVICE_CODE_GRANT);
    static final Set<String> ALGS = Set.of("RS256", "ES256");

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
        Set<String> sections = new HashSet<>(Set.of("server", "data", "tenants", "management", "logging", "tracing", "probes",
                "rate_limits", "keys"));
        sections.addAll(ContainmentConfig.SECTIONS);
        top.allowOnly(sections);
        ServerSettings server = server(top.child("server"));
        DataSettings data = data(top.child("data"));
        List<TenantSettings> tenants = tenants(top, server);
        ContainmentSettings containment = ContainmentConfig.parse(top);
        ObserveSettings observe = ObserveSettings.parse(top);
        RateLimitSettings rateLimits = RateLimitSettings.parse(top);
        KeySettings keys = KeySettings.parse(top);
        problems.throwIfAny();
        return new SignetConfig(server, data, tenants, containment, observe, rateLimits, keys);
    }

    private ServerSettings server(ConfigNode n) {
        n.allowOnly(Set.of("host", "port", "public_url", "trusted_proxies", "clock_skew", "drain"));
        String host = n.optString("host").orElse("127.0.0.1");
        int port = n.integer("port", 8080, 0, 65535);
        ServerSettings provisional = new ServerSettings(host, port, localhost(port));
        Optional<URI> url = n.optUri("public_url");
        if (url.isEmpty() && !provisional.loopbackOnly() && !n.has("public_url")) {
            n.problem("public_url", "is required when host is not a loopback address (it becomes the issuer)");
        }
        URI publicUrl = url.map(u -> URI.create(stripSlash(u.toString()))).orElse(provisional.publicUrl());
        Duration skew = n.duration("clock_skew", ServerSettings.DEFAULT_CLOCK_SKEW);
        if (skew.isNegative() || skew.compareTo(ServerSettings.MAX_CLOCK_SKEW) > 0) {
            n.problem("clock_skew", "must be from 0s to " + ServerSettings.MAX_CLOCK_SKEW.toSeconds() + "s");
            skew = ServerSettings.DEFAULT_CLOCK_SKEW;
        }
        Duration drain = n.durationOrZero("drain", ServerSettings.DEFAULT_DRAIN);
        if (drain.isNegative() || drain.compareTo(ServerSettings.MAX_DRAIN) > 0) {
            n.problem("drain", "must be from 0s to " + ServerSettings.MAX_DRAIN.toMinutes() + "m");
            drain = ServerSettings.DEFAULT_DRAIN;
        }
        return new ServerSettings(host, port, publicUrl, DomainRules.trustedProxies(n), skew, drain);
    }

    /** {@code http://localhost:PORT}, the issuer when Signet listens on loopback and no public_url is set. */
    private static URI localhost(int port) {
        try {
            return new URI("http", null, "localhost", port, null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DataSettings data(ConfigNode n) {
        n.allowOnly(Set.of("dir", "timeout", "postgres"));
        Optional<DataSettings.PostgresSettings> postgres = n.has("postgres") ? Optional.of(postgres(n.child("postgres"))) : Optional.empty();
        if (postgres.isPresent() && n.has("dir")) {
            n.problem("dir", "is not used with data.postgres (the store is PostgreSQL); remove one of them");
        }
        return new DataSettings(n.optPath("dir").orElse(Path.of("./data")), n.duration("timeout", DataSettings.DEFAULT_TIMEOUT), postgres);
    }

    /** {@code data.postgres}: the URL without credentials, the role, its password from the environment, the pool size. */
    private static DataSettings.PostgresSettings postgres(ConfigNode n) {
        n.allowOnly(Set.of("url", "user", "password", "pool_size"));
        String url = n.string("url");
        if (!url.isEmpty()) {
            PostgresUrl.problems(url).forEach(p -> n.problem("url", p));
        }
        String user = n.string("user");
        if (n.has("user") && user.isBlank()) {
            n.problem("user", "must not be empty");
        }
        if (n.has("password") && !n.fromEnvironment("password")) {
            n.problem("password", "must come from the environment, e.g. password: ${SIGNET_DB_PASSWORD} (never written in the file)");
        }
        Optional<Secret> password = n.optSecret("password");
        int poolSize = n.integer("pool_size", DataSettings.PostgresSettings.DEFAULT_POOL_SIZE, 1,
                DataSettings.PostgresSettings.MAX_POOL_SIZE);
        return new DataSettings.PostgresSettings(url, user, password, poolSize);
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
            ClientSettings client = client(c);
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
                DomainRules.branding(n));
    }

    private static ClientSettings client(ConfigNode c) {
        Set<String> keys = new HashSet<>(Set.of("id", "name", "secret", "public", "redirect_uris", "grant_types",
                "id_token_signed_response_alg", "access_token_signed_response_alg", "access_token_ttl", "refresh_token_ttl",
                "post_logout_redirect_uris", "backchannel_logout_uri", "backchannel_logout_session_required", "consent"));
        keys.addAll(ClientAuthRules.KEYS);
        c.allowOnly(keys);
        String id = c.string("id");
        if (!id.isEmpty() && !id.matches("[A-Za-z0-9._~-]{1,128}")) {
            c.problem("id", "may contain only letters, digits and . _ ~ - (at most 128)");
        }
        Optional<Secret> secret = c.optSecret("secret");
        boolean isPublic = c.bool("public", false);
        if (secret.isPresent() && isPublic) {
            c.problem("secret", "a public client has no secret: remove 'secret' or 'public: true'");
        } else if (secret.isEmpty() && !isPublic && !c.has("secret")
                && !c.optString("token_endpoint_auth_method").filter(ClientAuth.PRIVATE_KEY_JWT::equals).isPresent()) {
            c.problem("secret", "is required for a confidential client; state 'public: true' for a public client (PKCE required)");
        }
        secret.filter(s -> s.value().length() < 16).ifPresent(s -> c.problem("secret", "must be at least 16 characters"));
        List<URI> redirects = new ArrayList<>();
        List<String> raw = c.strings("redirect_uris");
        for (int i = 0; i < raw.size(); i++) {
            redirectUri(c, "redirect_uris[" + i + "]", raw.get(i)).ifPresent(redirects::add);
        }
        Set<String> grants = new LinkedHashSet<>(c.has("grant_types") ? c.strings("grant_types") : List.of("authorization_code", "refresh_token"));
        for (String g : grants) {
            if (!GRANT_TYPES.contains(g)) {
                c.problem("grant_types", "unknown grant type '" + g + "' (known: " + String.join(", ", GRANT_TYPES) + ")");
            }
        }
        if (grants.contains("authorization_code") && redirects.isEmpty() && !c.has("redirect_uris")) {
            c.problem("redirect_uris", "is required for the authorization_code grant");
        }
        if (grants.contains("client_credentials") && isPublic) {
            c.problem("grant_types", "client_credentials needs a confidential client (RFC 6749 §4.4)");
        }
        String idAlg = alg(c, "id_token_signed_response_alg", "RS256");
        String atAlg = alg(c, "access_token_signed_response_alg", "ES256");
        Duration atTtl = c.duration("access_token_ttl", Duration.ofMinutes(10));
        Duration rtTtl = c.duration("refresh_token_ttl", Duration.ofDays(30));
        ClientAuth auth = ClientAuthRules.read(c, secret.isPresent(), isPublic);
        return new ClientSettings(id, c.optString("name").orElse(id), secret.map(s -> Ids.hash(s.value())), redirects,
                grants, idAlg, atAlg, atTtl, rtTtl, auth, logout(c), consent(c));
    }

    /** RP-Initiated Logout 1.0 §3.1 and Back-Channel Logout 1.0 §2.2 client metadata, every problem listed. */
    private static ClientSettings.Logout logout(ConfigNode c) {
        List<URI> after = new ArrayList<>();
        List<String> raw = c.strings("post_logout_redirect_uris");
        for (int i = 0; i < raw.size(); i++) {
            redirectUri(c, "post_logout_redirect_uris[" + i + "]", raw.get(i)).ifPresent(after::add);
        }
        Optional<URI> backchannel = c.optString("backchannel_logout_uri")
                .flatMap(u -> backchannelUri(c, u));
        boolean sessionRequired = c.bool("backchannel_logout_session_required", false);
        if (sessionRequired && !c.has("backchannel_logout_uri")) {
            c.problem("backchannel_logout_session_required", "needs backchannel_logout_uri (Back-Channel Logout 1.0 §2.2)");
        }
        return new ClientSettings.Logout(after, backchannel, sessionRequired);
    }

    /** Back-Channel Logout 1.0 §2.2: absolute, no fragment; https except for loopback hosts. A query is allowed. */
    private static Optional<URI> backchannelUri(ConfigNode c, String s) {
        Optional<URI> u = redirectUri(c, "backchannel_logout_uri", s);
        u.filter(x -> !"http".equals(x.getScheme()) && !"https".equals(x.getScheme()))
                .ifPresent(x -> c.problem("backchannel_logout_uri", "must be an http(s) URI"));
        return u.filter(x -> "http".equals(x.getScheme()) || "https".equals(x.getScheme()));
    }

    private static ClientSettings.ConsentPolicy consent(ConfigNode c) {
        String v = c.optString("consent").orElse("skip");
        return switch (v) {
            case "skip" -> ClientSettings.ConsentPolicy.SKIP;
            case "required" -> ClientSettings.ConsentPolicy.REQUIRED;
            default -> {
                c.problem("consent", "must be skip or required, got '" + v + "'");
                yield ClientSettings.ConsentPolicy.SKIP;
            }
        };
    }

    private static String alg(ConfigNode c, String key, String fallback) {
        String alg = c.optString(key).orElse(fallback);
        if (!ALGS.contains(alg)) {
            c.problem(key, "must be RS256 or ES256, got '" + alg + "'");
            return fallback;
        }
        return alg;
    }

    /** RFC 9700 §4.1.3 (exact match), §2.1 (no plain http except loopback); RFC 6749 §3.1.2 (no fragment). */
    private static Optional<URI> redirectUri(ConfigNode c, String path, String s) {
        URI u;
        try {
            u = new URI(s);
        } catch (Exception e) {
            c.problem(path, "is not a valid URI");
            return Optional.empty();
        }
        if (!u.isAbsolute() || u.getFragment() != null) {
            c.problem(path, "must be an absolute URI without a fragment (RFC 6749 §3.1.2)");
            return Optional.empty();
        }
        if ("http".equals(u.getScheme()) && !isLoopback(u.getHost())) {
            c.problem(path, "plain http is allowed only for loopback hosts (RFC 9700 §2.1); use https");
            return Optional.empty();
        }
        return Optional.of(u);
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
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        Optional<ConnectionKinds.Options> options = kinds.read(kind, c, server);
        if (options.isEmpty()) {
            c.problem("kind", "unknown connection kind '" + kind + "' (known: " + String.join(", ", kinds.names().stream().sorted().toList()) + ")");
            return Optional.empty();
        }
        return Optional.of(new ConnectionSettings(id, kind, name, domains, options.get()));
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
