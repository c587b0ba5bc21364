package dev.signet.config;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client keys of issue 14, read and checked with every problem listed: {@code
 * token_endpoint_auth_method}, {@code jwks} / {@code jwks_uri} (RFC 7591 §2) and {@code
 * introspection.audiences}. Kept apart from {@link ConfigLoader} so it stays readable.
 */
final class ClientAuthRules {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ClientAuthRules() {}

    /** The keys this class reads, for the client's {@code allowOnly}. */
    static final Set<String> KEYS = Set.of("token_endpoint_auth_method", "jwks", "jwks_uri", "introspection");

    static ClientAuth read(ConfigNode c, boolean hasSecret, boolean isPublic) {
        Optional<String> method = c.optString("token_endpoint_auth_method");
        if (method.isPresent() && !ClientAuth.METHODS.contains(method.get())) {
            c.problem("token_endpoint_auth_method", "unknown method '" + method.get() + "' (known: "
                    + String.join(", ", ClientAuth.METHODS.stream().sorted().toList()) + ")");
            method = Optional.empty();
        }
        Optional<JWKSet> jwks = jwks(c);
        Optional<URI> jwksUri = c.optUri("jwks_uri");
        jwksUri.filter(u -> "http".equals(u.getScheme()) && !ConfigLoader.isLoopback(u.getHost()))
                .ifPresent(u -> c.problem("jwks_uri", "plain http is allowed only for loopback hosts; use https"));
        boolean keys = c.has("jwks") || c.has("jwks_uri");
        if (c.has("jwks") && c.has("jwks_uri")) {
            c.problem("jwks", "state either jwks or jwks_uri, not both (RFC 7591 §2)");
        }
        if (method.isPresent()) {
            switch (method.get()) {
                case ClientAuth.PRIVATE_KEY_JWT -> {
                    if (!keys) {
                        c.problem("token_endpoint_auth_method", "private_key_jwt needs the client's public keys: 'jwks' or 'jwks_uri'");
                    }
                    if (hasSecret) {
                        c.problem("secret", "a private_key_jwt client has no secret: remove 'secret'");
                    }
                    if (isPublic) {
                        c.problem("public", "a private_key_jwt client is confidential: remove 'public: true'");
                    }
                }
                case ClientAuth.NONE -> {
                    if (!isPublic) {
                        c.problem("token_endpoint_auth_method", "none is for a public client: state 'public: true' (PKCE required)");
                    }
                }
                default -> {
                    if (!hasSecret) {
                        c.problem("token_endpoint_auth_method", method.get() + " needs a 'secret'");
                    }
                }
            }
        }
        if (keys && method.filter(ClientAuth.PRIVATE_KEY_JWT::equals).isEmpty()) {
            c.problem(c.has("jwks") ? "jwks" : "jwks_uri", "keys are used only with 'token_endpoint_auth_method: private_key_jwt'");
        }
        ConfigNode introspection = c.child("introspection");
        introspection.allowOnly(Set.of("audiences"));
        List<String> audiences = introspection.strings("audiences");
        if (!audiences.isEmpty() && isPublic) {
            c.problem("introspection", "a public client cannot authenticate, so it cannot introspect (RFC 7662 §2.1)");
        }
        return new ClientAuth(method, jwks, jwksUri, Set.copyOf(audiences));
    }

    /** Each audience a resource server may introspect must be a client of the tenant. */
    static void audiencesKnown(java.util.Map<ConfigNode, ClientSettings> configured, List<ClientSettings> all) {
        Set<String> ids = all.stream().map(ClientSettings::id).collect(java.util.stream.Collectors.toSet());
        configured.forEach((node, client) -> client.auth().introspectionAudiences().stream().sorted()
                .filter(a -> !ids.contains(a))
                .forEach(a -> node.problem("introspection.audiences", "'" + a + "' is no client of this tenant")));
    }

    private static Optional<JWKSet> jwks(ConfigNode c) {
        Optional<String> raw = c.json("jwks");
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        JWKSet set;
        try {
            set = JWKSet.parse(raw.get());
        } catch (java.text.ParseException e) {
            c.problem("jwks", "is not a JWK Set (RFC 7517 §5: {keys: [...]}): " + e.getMessage());
            return Optional.empty();
        }
        if (set.getKeys().isEmpty()) {
            c.problem("jwks", "has no keys");
        }
        boolean ok = true;
        for (int i = 0; i < set.getKeys().size(); i++) {
            JWK k = set.getKeys().get(i);
            String at = "jwks.keys[" + i + "]";
            if (k.getKeyType() == com.nimbusds.jose.jwk.KeyType.OCT) {
                c.problem(at, "a symmetric (oct) key is not allowed: private_key_jwt takes RSA or EC public keys");
                ok = false;
            } else if (k.getKeyType() == com.nimbusds.jose.jwk.KeyType.OKP) {
                c.problem(at, "an OKP (Ed25519) key is not supported: private_key_jwt takes RSA or EC public keys (EdDSA is not offered)");
                ok = false;
            } else if (k.isPrivate()) {
                c.problem(at, "holds a private key: list only the public key here");
                ok = false;
            }
            if (k.getKeyUse() != null && !KeyUse.SIGNATURE.equals(k.getKeyUse())) {
                c.problem(at, "has use '" + k.getKeyUse().identifier() + "'; a client assertion key needs use 'sig' (or none)");
                ok = false;
            }
        }
        return ok ? Optional.of(set) : Optional.empty();
    }
}
