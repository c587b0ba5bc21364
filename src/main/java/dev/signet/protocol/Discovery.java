package dev.signet.protocol;

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
        m.put("response_modes_supported", List.of("query"));
        m.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", SigningKeys.ALGORITHMS);
        m.put("scopes_supported", Scopes.SUPPORTED);
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid", "azp",
                "name", "picture", "email", "email_verified"));
        m.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        m.put("request_parameter_supported", false);
        m.put("request_uri_parameter_supported", false);
        m.put("claims_parameter_supported", false);
        // RFC 9207 §3: Signet puts iss in every authorization response.
        m.put("authorization_response_iss_parameter_supported", true);
        return m;
    }
}
