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
 * @param logout RP-Initiated and Back-Channel Logout metadata (issue 14)
 * @param consent whether the user is asked before the client gets tokens (OIDC Core §3.1.2.4)
 */
public record ClientSettings(String id, String name, Optional<String> secretHash, List<URI> redirectUris,
        Set<String> grantTypes, String idTokenAlg, String accessTokenAlg, Duration accessTokenTtl,
        Duration refreshTokenTtl, ClientAuth auth, Logout logout, ConsentPolicy consent) {

    public ClientSettings {
        redirectUris = List.copyOf(redirectUris);
        grantTypes = Set.copyOf(grantTypes);
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
                Duration.ofMinutes(10), Duration.ofDays(1), ClientAuth.DEFAULT, Logout.NONE, ConsentPolicy.SKIP);
    }

    public ClientSettings withSecretHash(String hash) {
        return new ClientSettings(id, name, Optional.of(hash), redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessTokenTtl,
                refreshTokenTtl, auth, logout, consent);
    }

    public ClientSettings withGrantTypes(Set<String> types) {
        return new ClientSettings(id, name, secretHash, redirectUris, types, idTokenAlg, accessTokenAlg, accessTokenTtl, refreshTokenTtl,
                auth, logout, consent);
    }

    public ClientSettings withTokenTtls(Duration accessToken, Duration refreshToken) {
        return new ClientSettings(id, name, secretHash, redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessToken, refreshToken,
                auth, logout, consent);
    }

    public ClientSettings withAuth(ClientAuth a) {
        return new ClientSettings(id, name, secretHash, redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessTokenTtl,
                refreshTokenTtl, a, logout, consent);
    }

    public ClientSettings withLogout(Logout l) {
        return new ClientSettings(id, name, secretHash, redirectUris, grantTypes, idTokenAlg, accessTokenAlg, accessTokenTtl,
                refreshTokenTtl, auth, l, consent);
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
