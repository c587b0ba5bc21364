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
 * No store access at all: only confidential clients reach it, and no refresh token is issued
 * (RFC 6749 §4.4.3). User scopes (openid, profile, email, offline_access) make no sense here.
 */
final class ClientCredentialsGrant implements TokenGrant {

    private final Tokens tokens;

    ClientCredentialsGrant(Tokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public TokenResponse handle(Tenant tenant, AuthenticatedClient client, Params form) {
        if (client.settings().isPublic()) {
            throw ProtocolException.of(Reason.UNAUTHORIZED_CLIENT, "client_credentials needs a confidential client");
        }
        Set<String> scopes = Scopes.parse(form.get("scope").orElse(""));
        if (!scopes.isEmpty()) {
            throw ProtocolException.of(Reason.INVALID_SCOPE, "no scopes are defined for client_credentials yet");
        }
        String at = tokens.accessToken(tenant, client.settings(),
                new Tokens.Subject(client.id(), Optional.empty(), Optional.empty(), Optional.empty()), scopes);
        return new TokenResponse(at, client.settings().accessTokenTtl().toSeconds(), Optional.empty(), Optional.empty(), "");
    }
}
