package dev.signet.protocol.token;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.protocol.Params;
import dev.signet.protocol.Scopes;
import dev.signet.tenant.Tenant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code grant_type=client_credentials} (RFC 6749 §4.4): an access token about the client itself.
 * No store access at all, and no refresh token (RFC 6749 §4.4.3). Only confidential clients reach
 * it: the configuration refuses client_credentials for a public client, and the endpoint checks
 * every client's grant types. User scopes (openid, profile, email, offline_access) make no sense here.
 */
final class ClientCredentialsGrant implements TokenGrant {

    private final Tokens tokens;

    ClientCredentialsGrant(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public TokenResponse handle(Tenant tenant, AuthenticatedClient client, Params form) {
        Set<String> scopes = Scopes.parse(form.get("scope").orElse(""));
        if (!scopes.isEmpty()) {
            throw ProtocolException.of(Reason.INVALID_SCOPE, "no scopes are defined for client_credentials yet");
        }
        String at = tokens.accessToken(tenant, client.settings(),
                new Tokens.Subject(client.id(), Optional.empty(), Optional.empty(), Optional.empty()), scopes);
        return new TokenResponse(at, client.settings().accessTokenTtl().toSeconds(), Optional.empty(), Optional.empty(), "");
    }
}
