package dev.signet.config;

import dev.signet.Ids;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An application that signs users in through Signet (an OIDC relying party).
 *
 * @param secretHash SHA-256 of the client secret (the plain secret is dropped at load); empty for
 *     a public client, which must use PKCE (RFC 7636, RFC 9700 §2.1.1)
 * @param redirectUris matched by exact string comparison (RFC 9700 §4.1.3)
 * @param idTokenAlg {@code id_token_signed_response_alg} (OIDC Dynamic Registration §2): RS256 or ES256
 * @param accessTokenAlg the algorithm of RFC 9068 access tokens: RS256 or ES256
 * @param auth how the client authenticates (RFC 7591 {@code token_endpoint_auth_method}, keys) and
 *     which tokens it may introspect (issue 14)
 * @param logout RP-Initiated and Back-Channel Logout metadata (issue 14)
 * @param consent whether the user is asked before the client gets tokens (OIDC Core §3.1.2.4)
 * @param refreshIdToken {@code refresh_id_token}: whether a refresh answers with a new ID token too. Default false
 *     (issue 16): OIDC Core §12.2 says the refresh response "might not contain an id_token", a relying party keeps
 *     the ID token of the sign-in, and the ID token's RS256 signature was most of a refresh's CPU; true for a client
 *     that wants a fresh one on every refresh
 * @param webOrigins {@code web_origins}: the origins ({@code https://app.example.com}, canonical: lower case, no default
 *     port) of browser applications that call the token, revocation and userinfo endpoints from script; they get CORS
 *     answers there (the Fetch standard's CORS protocol; {@code web.Cors})
 * @param requirePushedRequests {@code require_pushed_authorization_requests} (RFC 9126 §6): the client's authorization
 *     requests must come through {@code /par}; default false
 */
public record ClientSettings(String id, String name, Optional<String> secretHash, List<URI> redirectUris,
        Set<String> grantTypes, String idTokenAlg, String accessTokenAlg, Duration accessTokenTtl,
        Duration refreshTokenTtl, ClientAuth auth, Logout logout, ConsentPolicy consent, boolean refreshIdToken,
        List<String> webOrigins, boolean requirePushedRequests) {

    static final Set<String> GRANT_TYPES = Set.of("authorization_code", "refresh_token", "client_credentials",
            ConfigLoader.DEVICE_CODE_GRANT);
    static final Set<String> ALGS = Set.of("RS256", "ES256");

    public ClientSettings {
        redirectUris = List.copyOf(redirectUris);
        grantTypes = Set.copyOf(grantTypes);
        webOrigins = List.copyOf(webOrigins);
    }

    /**
     * Logout metadata, under the registered client metadata names.
     *
     * @param postLogoutRedirectUris {@code post_logout_redirect_uris} (RP-Initiated Logout 1.0 §3.1), exact match
     * @param backchannelUri {@code backchannel_logout_uri} (Back-Channel Logout 1.0 §2.2)
     * @param backchannelSessionRequired {@code backchannel_logout_session_required}: the logout token must carry {@code sid}
     *     (Signet always includes it)
     */
    public record Logout(List<URI> postLogoutRedirectUris, Optional<URI> backchannelUri, boolean backchannelSessionRequired) {
        public static final Logout NONE = new Logout(List.of(), Optional.empty(), false);

        public Logout {
            postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris);
        }

        /** Exact string match (RP-Initiated Logout 1.0 §3: "MUST exactly match"). */
        public boolean allowsPostLogoutRedirect(String uri) {
            return postLogoutRedirectUris.stream().anyMatch(u -> u.toString().equals(uri));
        }
    }

    /**
     * {@code consent}: {@code skip} (first-party: no consent page; the default for configured
     * clients) or {@code required} (the user approves the scopes once per client, remembered).
     */
    public enum ConsentPolicy {
        SKIP, REQUIRED
    }

    /**
     * A built-in client (the demo app, the probe client): {@code authorization_code} only, RS256 ID
     * tokens, ES256 access tokens of 10 minutes, public (PKCE) until {@link #withSecretHash} says
     * otherwise. Change one setting with a {@code with…} copy, never a positional constructor call.
     */
    public static ClientSettings builtIn(String id, String name, List<URI> redirectUris) {
        return new ClientSettings(id, name, Optional.empty(), redirectUris, Set.of("authorization_code"), "RS256", "ES256",
                Duration.ofMinutes(10), Duration.ofDays(1), ClientAuth.DEFAULT, Logout.NONE, ConsentPolicy.SKIP,
                false, List.of(), false);
    }

    public ClientSettings withSecretHash(String hash) {
        return new ClientSettings(id, name, Optional.of(hash), redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessTokenTtl,
                refreshTokenTtl, auth, logout, consent, refreshIdToken, webOrigins, requirePushedRequests);
    }

    public ClientSettings withGrantTypes(Set<String> types) {
        return new ClientSettings(id, name, secretHash, redirectUris, types, idTokenAlg, accessTokenAlg, accessTokenTtl, refreshTokenTtl,
                auth, logout, consent, refreshIdToken, webOrigins, requirePushedRequests);
    }

    public ClientSettings withTokenTtls(Duration accessToken, Duration refreshToken) {
        return new ClientSettings(id, name, secretHash, redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessToken, refreshToken,
                auth, logout, consent, refreshIdToken, webOrigins, requirePushedRequests);
    }

    public ClientSettings withAuth(ClientAuth a) {
        return new ClientSettings(id, name, secretHash, redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessTokenTtl,
                refreshTokenTtl, a, logout, consent, refreshIdToken, webOrigins, requirePushedRequests);
    }

    public ClientSettings withLogout(Logout l) {
        return new ClientSettings(id, name, secretHash, redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessTokenTtl,
                refreshTokenTtl, auth, l, consent, refreshIdToken, webOrigins, requirePushedRequests);
    }

    public boolean isPublic() {
        return secretHash.isEmpty() && !auth.privateKeyJwt();
    }

    public boolean allows(String grantType) {
        return grantTypes.contains(grantType);
    }

    /** Exact string match (RFC 9700 §4.1.3; OIDC Core §3.1.2.1 "MUST exactly match"). */
    public boolean hasRedirectUri(String uri) {
        for (URI u : redirectUris) {
            if (u.toString().equals(uri)) {
                return true;
            }
        }
        return false;
    }

    /** One item of a tenant's {@code clients:}. */
    static ClientSettings read(ConfigNode c) {
        Set<String> keys = new HashSet<>(Set.of("id", "name", "secret", "public", "redirect_uris", "grant_types",
                "id_token_signed_response_alg", "access_token_signed_response_alg", "access_token_ttl", "refresh_token_ttl",
                "post_logout_redirect_uris", "backchannel_logout_uri", "backchannel_logout_session_required", "consent",
                "refresh_id_token", "web_origins", "require_pushed_authorization_requests"));
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
                grants, idAlg, atAlg, atTtl, rtTtl, auth, logout(c), consent(c), c.bool("refresh_id_token", false), webOrigins(c),
                c.bool("require_pushed_authorization_requests", false));
    }

    /**
     * {@code web_origins}: each an origin (RFC 6454 §4: scheme, host, port; no path, query, fragment or user info), https
     * except for loopback hosts, kept in the form a browser sends in {@code Origin} (RFC 6454 §6.1: lower case, no default
     * port); every problem listed.
     */
    private static List<String> webOrigins(ConfigNode c) {
        List<String> origins = new ArrayList<>();
        List<String> raw = c.strings("web_origins");
        for (int i = 0; i < raw.size(); i++) {
            String path = "web_origins[" + i + "]";
            URI u;
            try {
                u = new URI(raw.get(i));
            } catch (Exception e) {
                c.problem(path, "is not a valid origin (https://host[:port])");
                continue;
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null || u.getRawUserInfo() != null
                    || !(u.getRawPath() == null || u.getRawPath().isEmpty() || u.getRawPath().equals("/"))
                    || u.getRawQuery() != null || u.getRawFragment() != null) {
                c.problem(path, "must be an origin: https://host[:port], without a path (got '" + raw.get(i) + "')");
                continue;
            }
            if (scheme.equals("http") && !ConfigLoader.isLoopback(u.getHost())) {
                c.problem(path, "plain http is allowed only for loopback hosts; use https");
                continue;
            }
            int port = u.getPort();
            boolean defaultPort = port < 0 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
            origins.add(scheme + "://" + u.getHost().toLowerCase(java.util.Locale.ROOT) + (defaultPort ? "" : ":" + port));
        }
        return origins;
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
        if ("http".equals(u.getScheme()) && !ConfigLoader.isLoopback(u.getHost())) {
            c.problem(path, "plain http is allowed only for loopback hosts (RFC 9700 §2.1); use https");
            return Optional.empty();
        }
        return Optional.of(u);
    }
}
