package dev.signet.config;

import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * How a client authenticates at the token, introspection, revocation and device authorization
 * endpoints, in RFC 7591 §2 metadata names, and which tokens it may introspect.
 *
 * @param method {@code token_endpoint_auth_method}; empty when not stated: a client with a secret
 *     then accepts both {@code client_secret_basic} and {@code client_secret_post} (as before issue
 *     14), a public client {@code none}
 * @param jwks the client's public keys inline ({@code jwks}), for {@code private_key_jwt}
 * @param jwksUri where the client publishes them ({@code jwks_uri}), for {@code private_key_jwt}
 * @param introspectionAudiences {@code introspection.audiences}: the client ids whose access tokens
 *     this client (a resource server) may introspect, besides its own
 */
public record ClientAuth(Optional<String> method, Optional<JWKSet> jwks, Optional<URI> jwksUri, Set<String> introspectionAudiences) {

    public static final String BASIC = "client_secret_basic";
    public static final String POST = "client_secret_post";
    public static final String PRIVATE_KEY_JWT = "private_key_jwt";
    public static final String NONE = "none";
    public static final Set<String> METHODS = Set.of(BASIC, POST, PRIVATE_KEY_JWT, NONE);

    public ClientAuth {
        introspectionAudiences = Set.copyOf(introspectionAudiences);
    }

    /** Nothing stated: the method follows from secret / public, no keys, introspects only its own tokens. */
    public static final ClientAuth DEFAULT = new ClientAuth(Optional.empty(), Optional.empty(), Optional.empty(), Set.of());

    public boolean privateKeyJwt() {
        return method.filter(PRIVATE_KEY_JWT::equals).isPresent();
    }

    /** Whether a client with (or without) a secret may use {@code used}. */
    public boolean accepts(String used, boolean hasSecret) {
        if (method.isPresent()) {
            return method.get().equals(used);
        }
        return hasSecret ? used.equals(BASIC) || used.equals(POST) : used.equals(NONE);
    }
}
