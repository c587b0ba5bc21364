package dev.signet.protocol.token;

import dev.signet.event.Event;
import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.protocol.Params;
import dev.signet.protocol.Pkce;
import dev.signet.protocol.Scopes;
import dev.signet.store.Grant;
import dev.signet.store.RefreshToken;
import dev.signet.store.User;
import dev.signet.tenant.Tenant;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code grant_type=authorization_code} (RFC 6749 §4.1.3, OIDC Core §3.1.3). One write
 * transaction: the code is marked used first, then checked, so a failed attempt still consumes it;
 * a code presented twice revokes its grant and everything issued from it (RFC 6749 §4.1.2).
 *
 * <p>The code is looked up within the request's tenant only (issue 11): a code issued in another
 * tenant is unknown here, even to a client with the same id, and is left untouched.
 */
final class AuthorizationCodeGrant implements TokenGrant {

    private final GrantContext c;

    AuthorizationCodeGrant(GrantContext context) {
        this.c = context;
    }

    private sealed interface Outcome {}

    private record Redeemed(Grant grant, User user, Optional<String> refreshToken, Optional<String> hookClaims) implements Outcome {}

    private record Refused(String why) implements Outcome {}

    @Override
    public TokenResponse handle(Tenant tenant, AuthenticatedClient client, Params form) {
        String code = form.require("code");
        Optional<String> redirectUri = form.get("redirect_uri");
        Optional<String> verifier = form.get("code_verifier");
        Instant now = c.clock().instant();
        Outcome outcome = c.transactions().write(tx -> {
            Optional<Grant> found = c.grants().byCodeHash(tx, tenant.name(), Ids.hash(code));
            if (found.isEmpty()) {
                return new Refused("authorization code is unknown");
            }
            Grant g = found.get();
            if (!c.grants().useCode(tx, tenant.name(), g.id())) {
                c.grants().revoke(tx, tenant.name(), g.id());
                c.outbox().append(tx, new Event.TokensRevoked(g.tenant(), g.userId(), g.clientId(), g.id(), "authorization_code_reused"));
                return new Refused("authorization code was already used; the tokens issued from it are revoked");
            }
            Optional<String> problem = check(g, client, redirectUri, verifier, now);
            if (problem.isPresent()) {
                return new Refused(problem.get());
            }
            User user = c.users().byId(tx, g.tenant(), g.userId()).orElse(null);
            if (user == null) {
                return new Refused("the user of this grant no longer exists");
            }
            Optional<String> refresh = Optional.empty();
            if (g.scopes().contains(Scopes.OFFLINE_ACCESS) && client.settings().allows("refresh_token")) {
                String value = c.ids().secret();
                c.grants().addRefreshToken(tx, new RefreshToken(Ids.hash(value), g.id(), now.plus(client.settings().refreshTokenTtl()), false));
                refresh = Optional.of(value);
            }
            c.outbox().append(tx, new Event.TokensIssued(g.tenant(), g.userId(), g.clientId(), g.id(), "authorization_code"));
            return new Redeemed(g, user, refresh, c.sessionClaims().get(tx, g.sessionId()));
        });
        return switch (outcome) {
            case Refused r -> throw ProtocolException.of(Reason.INVALID_GRANT, r.why());
            case Redeemed r -> {
                Grant g = r.grant();
                var subject = new Tokens.Subject(g.userId(), Optional.of(g.authTime()), Optional.of(g.sessionId()), Optional.of(g.id()));
                String at = c.tokens().accessToken(tenant, client.settings(), subject, g.scopes());
                String idt = c.tokens().idToken(tenant, client.settings(), r.user(), subject, g.scopes(), g.nonce(), at, r.hookClaims());
                yield new TokenResponse(at, client.settings().accessTokenTtl().toSeconds(), r.refreshToken(), Optional.of(idt),
                        Scopes.format(g.scopes()));
            }
        };
    }

    /** The checks of RFC 6749 §4.1.3 and RFC 7636 §4.6, with RFC 9700 §2.1.1's downgrade rule. */
    private static Optional<String> check(Grant g, AuthenticatedClient client, Optional<String> redirectUri,
            Optional<String> verifier, Instant now) {
        if (g.revoked()) {
            return Optional.of("authorization code was revoked");
        }
        if (!now.isBefore(g.codeExpiresAt())) {
            return Optional.of("authorization code expired");
        }
        if (!g.clientId().equals(client.id())) {
            return Optional.of("authorization code was issued to another client");
        }
        if (redirectUri.isEmpty() || !redirectUri.get().equals(g.redirectUri())) {
            return Optional.of("redirect_uri does not match the authorization request");
        }
        if (g.codeChallenge().isPresent()) {
            if (verifier.isEmpty()) {
                return Optional.of("code_verifier is required (PKCE)");
            }
            if (!Pkce.matches(verifier.get(), g.codeChallenge().get())) {
                return Optional.of("code_verifier does not match the code_challenge");
            }
        } else if (verifier.isPresent()) {
            return Optional.of("code_verifier sent but no code_challenge was used (PKCE downgrade)");
        }
        return Optional.empty();
    }
}
