package dev.signet.config;

import java.net.URI;
import java.time.Duration;
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
 */
public record ClientSettings(String id, String name, Optional<String> secretHash, List<URI> redirectUris,
        Set<String> grantTypes, String idTokenAlg, String accessTokenAlg, Duration accessTokenTtl,
        Duration refreshTokenTtl, ClientAuth auth) {

    public ClientSettings {
        redirectUris = List.copyOf(redirectUris);
        grantTypes = Set.copyOf(grantTypes);
    }

    /**
     * A built-in client (the demo app, the probe client): {@code authorization_code} only, RS256 ID
     * tokens, ES256 access tokens of 10 minutes, public (PKCE) until {@link #withSecretHash} says
     * otherwise. Change one setting with a {@code with…} copy, never a positional constructor call.
     */
    public static ClientSettings builtIn(String id, String name, List<URI> redirectUris) {
        return new ClientSettings(id, name, Optional.empty(), redirectUris, Set.of("authorization_code"), "RS256", "ES256",
                Duration.ofMinutes(10), Duration.ofDays(1), ClientAuth.DEFAULT);
    }

    public ClientSettings withSecretHash(String hash) {
        return new ClientSettings(id, name, Optional.of(hash), redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessTokenTtl,
                refreshTokenTtl, auth);
    }

    public ClientSettings withGrantTypes(Set<String> types) {
        return new ClientSettings(id, name, secretHash, redirectUris, types, idTokenAlg, accessTokenAlg, accessTokenTtl, refreshTokenTtl, auth);
    }

    public ClientSettings withTokenTtls(Duration accessToken, Duration refreshToken) {
        return new ClientSettings(id, name, secretHash, redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessToken, refreshToken, auth);
    }

    public ClientSettings withAuth(ClientAuth a) {
        return new ClientSettings(id, name, secretHash, redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessTokenTtl, refreshTokenTtl, a);
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
}
