package dev.signet.protocol.token;

import dev.signet.event.Event;
import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.protocol.Params;
import dev.signet.protocol.Scopes;
import dev.signet.store.Grant;
import dev.signet.store.GrantStore;
import dev.signet.store.RefreshToken;
import dev.signet.store.Tx;
import dev.signet.store.User;
import dev.signet.tenant.Tenant;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code grant_type=refresh_token} (RFC 6749 §6, OIDC Core §12). Refresh tokens rotate on every use;
 * presenting a rotated token again revokes the whole family (RFC 9700 §4.14.2). One write transaction.
 *
 * <p>Validate first, then use (issue 11, defect 4): every check that can refuse the request
 * (client, revocation, expiry, RFC 6749 §6 scope, user) runs before the token is marked used, so a
 * refused request changes nothing and the client may retry with the same token. Only a token that
 * was already rotated (found used, or lost the compare-and-set to a concurrent request) counts as
 * reuse. The token is looked up within the request's tenant only: one of another tenant is unknown.
 */
final class RefreshTokenGrant implements TokenGrant {

    private final GrantContext c;

    RefreshTokenGrant(GrantContext context) {
        this.c = context;
    }

    private sealed interface Outcome {}

    private record Rotated(Grant grant, Optional<User> user, Set<String> scopes, String refreshToken, Optional<String> hookClaims) implements Outcome {}

    private record Refused(Reason reason, String why) implements Outcome {}

    @Override
    public TokenResponse handle(Tenant tenant, AuthenticatedClient client, Params form) {
        String presented = form.require("refresh_token");
        Optional<String> scopeParam = form.get("scope");
        Instant now = c.clock().instant();
        Outcome outcome = c.transactions().write(tx -> {
            String hash = Ids.hash(presented);
            // the token, its grant and whether the user exists in one statement (issue 16)
            Optional<GrantStore.Redeemable> found = c.grants().redeemable(tx, tenant.name(), hash);
            if (found.isEmpty()) {
                return new Refused(Reason.INVALID_GRANT, "refresh token is unknown");
            }
            RefreshToken rt = found.get().token();
            Grant g = found.get().grant();
            if (!g.clientId().equals(client.id())) {
                return new Refused(Reason.INVALID_GRANT, "refresh token was issued to another client");
            }
            if (g.revoked()) {
                return new Refused(Reason.INVALID_GRANT, "refresh token was revoked");
            }
            if (rt.used()) {
                return reused(tx, tenant, g);
            }
            if (!now.isBefore(rt.expiresAt())) {
                return new Refused(Reason.INVALID_GRANT, "refresh token expired");
            }
            Set<String> scopes = g.scopes();
            if (scopeParam.isPresent()) {
                scopes = Scopes.parse(scopeParam.get());
                if (!g.scopes().containsAll(scopes)) {
                    return new Refused(Reason.INVALID_SCOPE, "scope exceeds what was originally granted (RFC 6749 §6)");
                }
            }
            if (!found.get().userExists()) {
                return new Refused(Reason.INVALID_GRANT, "the user of this grant no longer exists");
            }
            // OIDC Core §12.2: the response "might not contain an id_token"; the client's refresh_id_token decides.
            // The user's profile and the session's hook claims are read only for an ID token.
            boolean idToken = scopes.contains(Scopes.OPENID) && client.settings().refreshIdToken();
            Optional<User> user = idToken ? c.users().byId(tx, g.tenant(), g.userId()) : Optional.empty();
            if (idToken && user.isEmpty()) {
                return new Refused(Reason.INVALID_GRANT, "the user of this grant no longer exists");
            }
            // every check passed: only now is the token used up (compare-and-set: a concurrent rotation wins)
            if (!c.grants().useRefreshToken(tx, tenant.name(), hash)) {
                return reused(tx, tenant, g);
            }
            String next = c.ids().secret();
            c.grants().addRefreshToken(tx, new RefreshToken(Ids.hash(next), g.id(), now.plus(client.settings().refreshTokenTtl()), false));
            c.outbox().append(tx, new Event.TokensIssued(g.tenant(), g.userId(), g.clientId(), g.id(), "refresh_token"));
            return new Rotated(g, user, scopes, next, idToken ? c.sessionClaims().get(tx, g.sessionId()) : Optional.empty());
        });
        return switch (outcome) {
            case Refused r -> throw ProtocolException.of(r.reason(), r.why());
            case Rotated r -> {
                Grant g = r.grant();
                var subject = new Tokens.Subject(g.userId(), Optional.of(g.authTime()), Optional.of(g.sessionId()), Optional.of(g.id()));
                String at = c.tokens().accessToken(tenant, client.settings(), subject, r.scopes());
                // the user was read only when an ID token is due (see above)
                Optional<String> idt = r.user().map(u -> c.tokens().idToken(tenant, client.settings(), u, subject, r.scopes(),
                        Optional.empty(), at, r.hookClaims()));
                yield new TokenResponse(at, client.settings().accessTokenTtl().toSeconds(), Optional.of(r.refreshToken()), idt,
                        Scopes.format(r.scopes()));
            }
        };
    }

    /** RFC 9700 §4.14.2: a rotated token presented again revokes the whole family. */
    private Refused reused(Tx tx, Tenant tenant, Grant g) {
        c.grants().revoke(tx, tenant.name(), g.id());
        c.outbox().append(tx, new Event.TokensRevoked(g.tenant(), g.userId(), g.clientId(), g.id(), "refresh_token_reused"));
        return new Refused(Reason.INVALID_GRANT, "refresh token was already used; the whole token family is revoked");
    }
}
