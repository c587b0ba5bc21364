package dev.signet.protocol.introspect;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.Ids;
import dev.signet.keys.JwtVerifier;
import dev.signet.protocol.token.Tokens;
import dev.signet.store.Grant;
import dev.signet.store.GrantStore;
import dev.signet.store.RefreshToken;
import dev.signet.store.Tx;
import dev.signet.tenant.Tenant;
import java.util.Optional;

/**
 * What a presented token is, within the request's tenant only: an access token (a JWT that verifies
 * with the tenant's keys and names the domain's issuer) or a refresh token (found by its hash among
 * the tenant's grants). The {@code token_type_hint} only decides which is tried first (RFC 7662 §2.1,
 * RFC 7009 §2.1: honoured, never trusted); a token of another tenant is unknown here.
 */
final class TokenLookup {

    sealed interface Found {}

    record Access(JWTClaimsSet claims) implements Found {}

    record Refresh(RefreshToken token, Grant grant) implements Found {}

    record Unknown() implements Found {}

    private final GrantStore grants;
    private final JwtVerifier verifier;

    TokenLookup(GrantStore grants, JwtVerifier verifier) {
        this.grants = grants;
        this.verifier = verifier;
    }

    /** {@code tx} is used only for a refresh token; an access token costs no store call. */
    Found find(Tx tx, Tenant tenant, String token, Optional<String> hint) {
        boolean refreshFirst = hint.map("refresh_token"::equals).orElse(token.chars().filter(c -> c == '.').count() != 2);
        Optional<Found> first = refreshFirst ? refresh(tx, tenant, token) : access(tenant, token);
        if (first.isPresent()) {
            return first.get();
        }
        return (refreshFirst ? access(tenant, token) : refresh(tx, tenant, token)).orElse(new Unknown());
    }

    /** An access token needs no transaction; for callers that know the token verified already. */
    Optional<Found> access(Tenant tenant, String token) {
        return verifier.verify(token, tenant.name(), tenant.issuer()).map(Access::new);
    }

    private Optional<Found> refresh(Tx tx, Tenant tenant, String token) {
        return grants.refreshToken(tx, tenant.name(), Ids.hash(token))
                .flatMap(rt -> grants.byId(tx, tenant.name(), rt.grantId()).map(g -> (Found) new Refresh(rt, g)));
    }

    static Optional<String> string(JWTClaimsSet claims, String name) {
        return claims.getClaim(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    /** The grant an access token came from ({@link Tokens#GRANT_CLAIM}); empty for client_credentials tokens. */
    static Optional<String> grantOf(JWTClaimsSet claims) {
        return string(claims, Tokens.GRANT_CLAIM);
    }
}
