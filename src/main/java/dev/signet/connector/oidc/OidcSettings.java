package dev.signet.connector.oidc;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.config.Secret;
import dev.signet.connector.ClaimMapping;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings of a generic OpenID Connect upstream. The issuer is always explicit, and so is the
 * discovery mode: {@code auto} reads the upstream's metadata from the issuer; {@code manual} sends
 * no discovery request at all and needs every endpoint (postmortem 000: a configuration that made
 * the library try a discovery flow the upstream did not support).
 *
 * <p>{@code requireIss}: the callback must carry RFC 9207 {@code iss} even if the metadata does not
 * advertise it ({@code iss_parameter_supported: true} with discovery {@code auto}).
 *
 * <p>{@code response_mode: form_post} asks the upstream to post its answer (OAuth 2.0 Form Post
 * Response Mode); it travels as an extra authorization parameter.
 */
public record OidcSettings(URI issuer, String clientId, Secret clientSecret, DiscoveryMode discovery,
        Optional<ManualEndpoints> endpoints, List<String> scopes, Duration timeout, boolean secretInForm, boolean requireIss,
        ClaimMapping claims, Map<String, String> extraAuthorizeParams)
        implements ConnectionKinds.Options {

    public enum DiscoveryMode { AUTO, MANUAL }

    /** Endpoints for {@code discovery: manual}, plus whether the upstream sends RFC 9207 {@code iss}. */
    public record ManualEndpoints(URI authorization, URI token, URI jwks, boolean issParameterSupported) {}

    static final Set<String> KEYS = Set.of("issuer", "client_id", "client_secret", "discovery", "authorization_endpoint",
            "token_endpoint", "jwks_uri", "iss_parameter_supported", "scopes", "timeout", "token_endpoint_auth_method", "claims",
            "response_mode");

    /** The keys every OIDC-based kind (the presets too) reads through {@link #client}. */
    public static final Set<String> CLIENT_KEYS = Set.of("client_id", "client_secret", "scopes", "timeout",
            "token_endpoint_auth_method", "iss_parameter_supported");

    static final String RESPONSE_MODE = "response_mode";
    static final String FORM_POST = "form_post";

    public OidcSettings {
        scopes = List.copyOf(scopes);
        extraAuthorizeParams = Map.copyOf(extraAuthorizeParams);
    }

    /** The client part every OIDC-based kind shares. */
    public record Client(String clientId, Secret clientSecret, List<String> scopes, Duration timeout, boolean secretInForm,
            boolean requireIss) {

        /** A preset's settings: discovery {@code auto} from {@code issuer}, standard claims. */
        public OidcSettings auto(URI issuer, Map<String, String> extraAuthorizeParams) {
            return auto(issuer, extraAuthorizeParams, ClaimMapping.STANDARD);
        }

        public OidcSettings auto(URI issuer, Map<String, String> extraAuthorizeParams, ClaimMapping claims) {
            return new OidcSettings(issuer, clientId, clientSecret, DiscoveryMode.AUTO, Optional.empty(), scopes, timeout, secretInForm,
                    requireIss, claims, extraAuthorizeParams);
        }
    }

    /** What a preset allows: the common keys, {@link #CLIENT_KEYS} and its own. */
    public static void allowOnly(ConfigNode n, Set<String> own) {
        Set<String> allowed = new HashSet<>(ConnectionKinds.COMMON_KEYS);
        allowed.addAll(CLIENT_KEYS);
        allowed.addAll(own);
        n.allowOnly(allowed);
    }

    /** Reads {@link #CLIENT_KEYS}; {@code defaultScopes} must contain openid. */
    public static Client client(ConfigNode n, List<String> defaultScopes) {
        return client(n, defaultScopes, true);
    }

    private static Client client(ConfigNode n, List<String> defaultScopes, boolean readIss) {
        String clientId = n.string("client_id");
        Secret secret = n.optSecret("client_secret").orElse(new Secret(""));
        if (!n.has("client_secret")) {
            n.problem("client_secret", "is required (use ${ENV_VAR} to keep it out of the file)");
        }
        List<String> scopes = n.has("scopes") ? n.strings("scopes") : defaultScopes;
        if (!scopes.contains("openid")) {
            n.problem("scopes", "must include openid");
        }
        Duration timeout = n.duration("timeout", Duration.ofSeconds(10));
        String method = n.optString("token_endpoint_auth_method").orElse("client_secret_basic");
        if (!method.equals("client_secret_basic") && !method.equals("client_secret_post")) {
            n.problem("token_endpoint_auth_method", "must be client_secret_basic or client_secret_post");
        }
        return new Client(clientId, secret, scopes, timeout, method.equals("client_secret_post"),
                readIss && requireIss(n));
    }

    /** With discovery auto, {@code iss_parameter_supported} may only make the check stricter. */
    private static boolean requireIss(ConfigNode n) {
        if (n.has("iss_parameter_supported") && !n.bool("iss_parameter_supported", false)) {
            n.problem("iss_parameter_supported", "with discovery: auto the upstream's metadata decides; only 'true' "
                    + "(require iss on every callback even if the metadata does not advertise it) may be set");
        }
        return n.bool("iss_parameter_supported", false);
    }

    public static OidcSettings read(ConfigNode n) {
        Set<String> allowed = new HashSet<>(KEYS);
        allowed.addAll(ConnectionKinds.COMMON_KEYS);
        n.allowOnly(allowed);
        URI issuer = n.uri("issuer");
        DiscoveryMode mode = DiscoveryMode.AUTO;
        String d = n.optString("discovery").orElse("");
        switch (d) {
            case "auto" -> mode = DiscoveryMode.AUTO;
            case "manual" -> mode = DiscoveryMode.MANUAL;
            case "" -> n.problem("discovery", "is required: 'auto' (read the issuer's metadata) or 'manual' (list the endpoints)");
            default -> n.problem("discovery", "must be 'auto' or 'manual', got '" + d + "'");
        }
        Optional<ManualEndpoints> endpoints = Optional.empty();
        if (mode == DiscoveryMode.MANUAL) {
            URI auth = n.uri("authorization_endpoint");
            URI token = n.uri("token_endpoint");
            URI jwks = n.uri("jwks_uri");
            if (!n.has("iss_parameter_supported")) {
                n.problem("iss_parameter_supported", "is required with discovery: manual (does the upstream send iss on its callback? RFC 9207)");
            }
            endpoints = Optional.of(new ManualEndpoints(auth, token, jwks, n.bool("iss_parameter_supported", false)));
        } else {
            for (String k : List.of("authorization_endpoint", "token_endpoint", "jwks_uri")) {
                if (n.has(k)) {
                    n.problem(k, "is only used with discovery: manual; with auto the upstream's metadata is authoritative");
                }
            }
        }
        Client c = client(n, List.of("openid", "email", "profile"), mode == DiscoveryMode.AUTO);
        ClaimMapping claims = ClaimMapping.read(n, "claims", ClaimMapping.STANDARD, false);
        // OAuth 2.0 Form Post Response Mode §2: the upstream posts its answer (the connector is then FormPostCallbacks)
        String responseMode = n.optString("response_mode").orElse("query");
        if (!responseMode.equals("query") && !responseMode.equals("form_post")) {
            n.problem("response_mode", "must be query or form_post, got '" + responseMode + "'");
        }
        return new OidcSettings(issuer, c.clientId(), c.clientSecret(), mode, endpoints, c.scopes(), c.timeout(), c.secretInForm(),
                c.requireIss(), claims, responseMode.equals("form_post") ? Map.of(RESPONSE_MODE, FORM_POST) : Map.of());
    }
}
