package dev.signet.protocol;

import dev.signet.config.ClientAuth;
import dev.signet.config.ConfigLoader;
import dev.signet.keys.SigningKeys;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider metadata (OIDC Discovery §3, RFC 8414 §2), computed once per configuration, not per
 * request. The JWK Set (RFC 7517 §5) is {@link SigningKeys#publicKeys()}.
 */
public final class Discovery {

    private Discovery() {}

    private static final List<String> AUTH_METHODS = List.of(ClientAuth.BASIC, ClientAuth.POST, ClientAuth.PRIVATE_KEY_JWT, ClientAuth.NONE);
    /** What {@code private_key_jwt} accepts (ClientAssertions.ALGORITHMS), in a fixed order. */
    private static final List<String> ASSERTION_ALGS = List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384",
            "ES512");

    public static Map<String, Object> metadata(Tenant tenant) {
        var u = tenant.urls();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", tenant.issuer());
        // every endpoint the path enum names a metadata member for, in its order: an endpoint added
        // there with its name is listed here without touching this method
        for (Path p : Path.values()) {
            p.metadataName().ifPresent(name -> m.put(name, u.at(p).toString()));
        }
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query", "form_post"));
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials",
                ConfigLoader.DEVICE_CODE_GRANT));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", SigningKeys.ALGORITHMS);
        m.put("scopes_supported", Scopes.SUPPORTED);
        m.put("token_endpoint_auth_methods_supported", AUTH_METHODS);
        m.put("token_endpoint_auth_signing_alg_values_supported", ASSERTION_ALGS);
        // RFC 8414 §2: introspection needs an authenticated client, so no "none" there
        m.put("introspection_endpoint_auth_methods_supported", AUTH_METHODS.subList(0, 3));
        m.put("introspection_endpoint_auth_signing_alg_values_supported", ASSERTION_ALGS);
        m.put("revocation_endpoint_auth_methods_supported", AUTH_METHODS);
        m.put("revocation_endpoint_auth_signing_alg_values_supported", ASSERTION_ALGS);
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid", "azp",
                "name", "picture", "email", "email_verified"));
        m.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        m.put("request_parameter_supported", false);
        m.put("request_uri_parameter_supported", false);
        // RFC 9126 §5: pushed requests are taken from every client; required only of those that say so (§6)
        m.put("require_pushed_authorization_requests", false);
        m.put("claims_parameter_supported", false);
        // RFC 9207 §3: Signet puts iss in every authorization response.
        m.put("authorization_response_iss_parameter_supported", true);
        // Back-Channel Logout 1.0 §2.1 (logout tokens carry sid); Front-Channel Logout is not offered.
        m.put("backchannel_logout_supported", true);
        m.put("backchannel_logout_session_supported", true);
        m.put("frontchannel_logout_supported", false);
        return m;
    }
}
