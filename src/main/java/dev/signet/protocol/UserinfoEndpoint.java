package dev.signet.protocol;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.keys.JwtVerifier;
import dev.signet.store.Transactions;
import dev.signet.store.User;
import dev.signet.store.UserStore;
import dev.signet.tenant.Tenant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The UserInfo endpoint (OIDC Core §5.3) with bearer tokens in the {@code Authorization} header (RFC 6750 §2.1)
 * or, on a POST, in the form-encoded body (§2.2; OIDC Core §5.3.1 lets a client send either). The access token is
 * verified locally, then its grant must still be active, so tokens issued from a reused code or a
 * revoked refresh family stop working here at once, and so do access tokens revoked by {@code jti}
 * (RFC 7009). One read transaction of one statement.
 */
public final class UserinfoEndpoint {

    private final Transactions transactions;
    private final UserStore users;
    private final JwtVerifier verifier;

    public UserinfoEndpoint(Transactions transactions, UserStore users, JwtVerifier verifier) {
        this.transactions = transactions;
        this.users = users;
        this.verifier = verifier;
    }

    public Map<String, Object> handle(Tenant tenant, Optional<String> authorization) {
        return handle(tenant, authorization, Optional.empty());
    }

    /** {@code formToken}: the {@code access_token} of a POST's form-encoded body (RFC 6750 §2.2), if any. */
    public Map<String, Object> handle(Tenant tenant, Optional<String> authorization, Optional<String> formToken) {
        if (authorization.isPresent() && formToken.isPresent()) {
            // RFC 6750 §2: a client MUST NOT use more than one method to send the token; §3.1: invalid_request
            throw ProtocolException.of(Reason.INVALID_REQUEST, "send the access token one way, not two (RFC 6750 §2)");
        }
        String token = formToken.filter(t -> !t.isEmpty())
                .or(() -> authorization.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim()))
                .orElseThrow(() -> ProtocolException.of(Reason.BEARER_MISSING, "a Bearer access token is required"));
        JWTClaimsSet claims = verifier.verify(token, tenant.name(), tenant.issuer())
                .orElseThrow(() -> ProtocolException.of(Reason.INVALID_TOKEN, "the access token is invalid or expired"));
        String grantId = stringClaim(claims, "grant")
                .orElseThrow(() -> ProtocolException.of(Reason.INVALID_TOKEN, "the access token is not about a user"));
        String jti = claims.getJWTID();
        // the grant still active, the token not revoked by jti (RFC 7009), its user: one statement
        Optional<User> user = transactions.read(tx -> users.byActiveGrant(tx, tenant.name(), grantId, jti));
        User u = user.orElseThrow(() -> ProtocolException.of(Reason.INVALID_TOKEN, "the access token was revoked"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sub", u.id());
        out.putAll(UserClaims.forScopes(u, Scopes.parse(stringClaim(claims, "scope").orElse(""))));
        return out;
    }

    private static Optional<String> stringClaim(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
