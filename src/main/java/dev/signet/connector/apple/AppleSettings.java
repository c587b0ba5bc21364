package dev.signet.connector.apple;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.config.Secret;
import dev.signet.tenant.Urls;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sign in with Apple ({@code kind: apple}). {@code client_id} is the Services ID; {@code team_id} and
 * {@code key_id} name the team and its "Sign in with Apple" key, whose PKCS#8 PEM ({@code .p8}, a
 * P-256 key) is {@code private_key} (from {@code ${VAR}}). The issuer is fixed,
 * {@code https://appleid.apple.com}, and so are the endpoints under it ({@code /auth/authorize},
 * {@code /auth/token}, {@code /auth/keys}; developer.apple.com, "Sign in with Apple REST API"); no
 * discovery request is made at sign-in, {@code signet check} reads Apple's metadata. Apple does not send RFC 9207 {@code iss}; {@code iss_parameter_supported:
 * true} requires it anyway (for the day it does; only {@code true} may be set).
 */
public record AppleSettings(URI issuer, String clientId, String teamId, String keyId, Secret privateKey, List<String> scopes,
        Duration timeout, boolean requireIss) implements ConnectionKinds.Options {

    public static final URI ISSUER = Urls.https("appleid.apple.com", "");
    /** Apple's team and key ids: ten upper-case letters or digits. */
    private static final Pattern APPLE_ID = Pattern.compile("[A-Z0-9]{10}");
    private static final Set<String> KEYS = Set.of("client_id", "team_id", "key_id", "private_key", "scopes", "timeout",
            "iss_parameter_supported");

    public AppleSettings {
        scopes = List.copyOf(scopes);
    }

    URI authorization() {
        return Urls.upstream(issuer, "/auth/authorize");
    }

    URI token() {
        return Urls.upstream(issuer, "/auth/token");
    }

    URI jwks() {
        return Urls.upstream(issuer, "/auth/keys");
    }

    public static AppleSettings read(ConfigNode n) {
        return read(n, Optional.empty());
    }

    /** With {@code endpointBase} as the issuer, and with it every endpoint and the client secret's audience (tests: a fake). */
    public static AppleSettings read(ConfigNode n, Optional<URI> endpointBase) {
        Set<String> allowed = new HashSet<>(ConnectionKinds.COMMON_KEYS);
        allowed.addAll(KEYS);
        n.allowOnly(allowed);
        String clientId = n.string("client_id");
        String teamId = appleId(n, "team_id", "the Team ID at the top right of the Apple developer account");
        String keyId = appleId(n, "key_id", "the Key ID of the Sign in with Apple key (Certificates, Identifiers & Profiles → Keys)");
        Secret key = n.optSecret("private_key").orElse(new Secret(""));
        if (!n.has("private_key")) {
            n.problem("private_key", "is required: the .p8 PEM of the Sign in with Apple key (use ${ENV_VAR} to keep it out of the file)");
        } else {
            AppleClientSecret.problem(key).ifPresent(p -> n.problem("private_key", p));
        }
        // Apple's scopes are name and email; openid is implied (an ID token always comes back)
        List<String> scopes = n.has("scopes") ? n.strings("scopes") : List.of("name", "email");
        for (String s : scopes) {
            if (!s.equals("name") && !s.equals("email")) {
                n.problem("scopes", "Sign in with Apple knows only the scopes name and email, got '" + s + "'");
            }
        }
        Duration timeout = n.duration("timeout", Duration.ofSeconds(10));
        if (n.has("iss_parameter_supported") && !n.bool("iss_parameter_supported", false)) {
            n.problem("iss_parameter_supported", "only 'true' (require RFC 9207 iss on every callback) may be set; Apple's metadata decides otherwise");
        }
        return new AppleSettings(endpointBase.orElse(ISSUER), clientId, teamId, keyId, key, scopes, timeout,
                n.bool("iss_parameter_supported", false));
    }

    private static String appleId(ConfigNode n, String key, String where) {
        String v = n.string(key);
        if (n.has(key) && !APPLE_ID.matcher(v).matches()) {
            n.problem(key, "must be 10 upper-case letters or digits (" + where + "), got '" + v + "'");
        }
        return v;
    }
}
