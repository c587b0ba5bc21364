package dev.signet.protocol.token;

import dev.signet.event.Outbox;
import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.config.ConfigLoader;
import dev.signet.store.DeviceCodeStore;
import dev.signet.store.GrantStore;
import dev.signet.store.SessionClaimsStore;
import dev.signet.store.Transactions;
import dev.signet.store.UserStore;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The token endpoint (RFC 6749 §3.2). The pipeline owns the shared steps — grant type known,
 * client authenticated, grant allowed for the client — then calls exactly one {@link TokenGrant}
 * (dex server/grants: a grant "cannot forget a shared step").
 */
public final class TokenEndpoint {

    /** Told of every token response: (grant type, client id); the composition root counts them. */
    public interface Issued {
        void issued(String grantType, String clientId);
    }

    private final Map<String, TokenGrant> grants;
    private final Issued issued;
    private final ClientAuthentication authentication;

    public TokenEndpoint(Transactions transactions, Outbox outbox, SessionClaimsStore sessionClaims, GrantStore grantStore, UserStore users,
            DeviceCodeStore deviceCodes, Tokens tokens, ClientAuthentication authentication, Ids ids, Clock clock, Issued issued) {
        this.issued = issued;
        this.authentication = authentication;
        GrantContext context = new GrantContext(transactions, outbox, sessionClaims, grantStore, users, tokens, ids, clock);
        this.grants = Map.of(
                "authorization_code", new AuthorizationCodeGrant(context),
                "refresh_token", new RefreshTokenGrant(context),
                "client_credentials", new ClientCredentialsGrant(tokens),
                ConfigLoader.DEVICE_CODE_GRANT, new DeviceCodeGrant(context, deviceCodes));
    }

    /** The one client authentication, shared with the introspection, revocation and device authorization endpoints. */
    public ClientAuthentication authentication() {
        return authentication;
    }

    public TokenResponse handle(Tenant tenant, TokenRequest request) {
        // Authenticate first, so an unauthenticated caller learns nothing about grant support.
        AuthenticatedClient client = authentication.authenticate(tenant, request, tenant.urls().at(Path.TOKEN));
        String type = request.form().require("grant_type");
        TokenGrant grant = grants.get(type);
        if (grant == null) {
            throw ProtocolException.of(Reason.UNSUPPORTED_GRANT_TYPE, "grant_type '" + type + "' is not supported");
        }
        if (!client.settings().allows(type)) {
            throw ProtocolException.of(Reason.UNAUTHORIZED_CLIENT, "this client may not use grant_type " + type);
        }
        TokenResponse response = grant.handle(tenant, client, request.form());
        issued.issued(type, client.settings().id());
        return response;
    }
}
