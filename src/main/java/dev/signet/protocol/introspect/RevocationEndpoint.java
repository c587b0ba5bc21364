package dev.signet.protocol.introspect;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.event.Event;
import dev.signet.event.Outbox;
import dev.signet.keys.JwtVerifier;
import dev.signet.protocol.token.AuthenticatedClient;
import dev.signet.protocol.token.ClientAuthentication;
import dev.signet.protocol.token.TokenRequest;
import dev.signet.store.Grant;
import dev.signet.store.GrantStore;
import dev.signet.store.TokenRevocations;
import dev.signet.store.Transactions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;

/**
 * The revocation endpoint (RFC 7009). The client authenticates (a public client by its id, §2.1).
 * A refresh token revokes its whole grant: every refresh token of the family and, through the
 * grant, every access token issued from it (§2.1 "SHOULD also invalidate all access tokens based on
 * the same authorization grant"). An access token is revoked by its {@code jti}, kept in the store
 * until its {@code exp}, so userinfo and introspection refuse it at once. A token that is unknown,
 * of another tenant, or another client's is answered 200 and left alone (§2.1: the server "first
 * validates the client credentials ... and then verifies whether the token was issued to the client
 * making the revocation request"; §2.2: invalid tokens get 200 too, since the client cannot do
 * anything about them). One write transaction at most.
 */
public final class RevocationEndpoint {

    private final Transactions transactions;
    private final GrantStore grants;
    private final TokenRevocations revocations;
    private final Outbox outbox;
    private final TokenLookup lookup;
    private final ClientAuthentication authentication;

    public RevocationEndpoint(Transactions transactions, GrantStore grants, TokenRevocations revocations, Outbox outbox,
            JwtVerifier verifier, ClientAuthentication authentication) {
        this.transactions = transactions;
        this.grants = grants;
        this.revocations = revocations;
        this.outbox = outbox;
        this.lookup = new TokenLookup(grants, verifier);
        this.authentication = authentication;
    }

    /** Always ends in 200 for an authenticated client (errors only for the request or the client itself). */
    public void handle(Tenant tenant, TokenRequest request) {
        AuthenticatedClient caller = authentication.authenticate(tenant, request, tenant.urls().at(Path.REVOKE));
        String token = request.form().require("token");
        var hint = request.form().get("token_type_hint");
        transactions.write(tx -> {
            switch (lookup.find(tx, tenant, token, hint)) {
                case TokenLookup.Access a -> {
                    JWTClaimsSet c = a.claims();
                    if (TokenLookup.string(c, "client_id").filter(caller.id()::equals).isPresent()) {
                        revocations.revoke(tx, tenant.name(), c.getJWTID(), c.getExpirationTime().toInstant());
                    }
                }
                case TokenLookup.Refresh r -> {
                    Grant g = r.grant();
                    if (g.clientId().equals(caller.id()) && !g.revoked()) {
                        grants.revoke(tx, tenant.name(), g.id());
                        outbox.append(tx, new Event.TokensRevoked(g.tenant(), g.userId(), g.clientId(), g.id(), "revoked_by_client"));
                    }
                }
                case TokenLookup.Unknown u -> { }
            }
            return null;
        });
    }
}
