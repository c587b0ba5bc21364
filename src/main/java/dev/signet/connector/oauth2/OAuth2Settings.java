package dev.signet.connector.oauth2;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.config.Secret;
import dev.signet.connector.ClaimMapping;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A plain OAuth 2.0 upstream without OIDC ({@code kind: oauth2}): every endpoint is configured, the
 * identity comes from a userinfo-like JSON API mapped by JSON pointer ({@code userinfo_mapping}).
 *
 * <p>RFC 9207 has no silent default here: {@code iss_parameter_supported} must be stated; with
 * {@code true} the {@code issuer} is required and every callback must carry it; with {@code false} an
 * {@code issuer} may still be given (a callback that carries {@code iss} is then compared with it),
 * and without one any {@code iss} on a callback is refused with a message saying what to configure.
 */
public record OAuth2Settings(String clientId, Secret clientSecret, URI authorization, URI token, URI userinfo,
        Optional<URI> issuer, boolean issParameterSupported, List<String> scopes, ClaimMapping mapping, Duration timeout,
        boolean secretInForm) implements ConnectionKinds.Options {

    static final Set<String> KEYS = Set.of("client_id", "client_secret", "authorization_endpoint", "token_endpoint",
            "userinfo_endpoint", "issuer", "iss_parameter_supported", "scopes", "userinfo_mapping", "timeout",
            "token_endpoint_auth_method");

    public OAuth2Settings {
        scopes = List.copyOf(scopes);
    }

    public static OAuth2Settings read(ConfigNode n) {
        Set<String> allowed = new HashSet<>(KEYS);
        allowed.addAll(ConnectionKinds.COMMON_KEYS);
        n.allowOnly(allowed);
        String clientId = n.string("client_id");
        Secret secret = n.optSecret("client_secret").orElse(new Secret(""));
        if (!n.has("client_secret")) {
            n.problem("client_secret", "is required (use ${ENV_VAR} to keep it out of the file)");
        }
        if (!n.has("iss_parameter_supported")) {
            n.problem("iss_parameter_supported", "is required: true (the upstream sends RFC 9207 iss on its callback; then issuer is "
                    + "required too) or false");
        }
        boolean iss = n.bool("iss_parameter_supported", false);
        Optional<URI> issuer = n.optUri("issuer");
        if (iss && !n.has("issuer")) {
            n.problem("issuer", "is required with iss_parameter_supported: true (the exact iss value the upstream sends)");
        }
        String method = n.optString("token_endpoint_auth_method").orElse("client_secret_basic");
        if (!method.equals("client_secret_basic") && !method.equals("client_secret_post")) {
            n.problem("token_endpoint_auth_method", "must be client_secret_basic or client_secret_post");
        }
        ClaimMapping mapping = ClaimMapping.read(n, "userinfo_mapping",
                new ClaimMapping("", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()), true);
        return new OAuth2Settings(clientId, secret, n.uri("authorization_endpoint"), n.uri("token_endpoint"), n.uri("userinfo_endpoint"),
                issuer, iss, n.has("scopes") ? n.strings("scopes") : List.of(), mapping, n.duration("timeout", Duration.ofSeconds(10)),
                method.equals("client_secret_post"));
    }
}
