package dev.signet.protocol.token;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import dev.signet.Ids;
import dev.signet.config.ClientSettings;
import dev.signet.keys.TenantKeys;
import dev.signet.protocol.Scopes;
import dev.signet.protocol.UserClaims;
import dev.signet.store.User;
import dev.signet.tenant.Tenant;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/** Mints access tokens (RFC 9068) and ID tokens (OIDC Core §2). CPU only: no store access. */
public final class Tokens {

    /** RFC 9068 §2.1: {@code typ} of a JWT access token. */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");
    /** Private claim linking an access token to its grant, so revoking the grant stops the token at userinfo. */
    public static final String GRANT_CLAIM = "grant";

    private static final tools.jackson.databind.json.JsonMapper HOOK_JSON = tools.jackson.databind.json.JsonMapper.builder().build();
    private final TenantKeys keys;
    private final Ids ids;
    private final Clock clock;

    /** Tokens are signed with the keys of the tenant they are issued in, never another's (issue 11). */
    public Tokens(TenantKeys keys, Ids ids, Clock clock) {
        this.keys = keys;
        this.ids = ids;
        this.clock = clock;
    }

    /** Who a token is about: a user (with the session and grant it came from) or the client itself. */
    record Subject(String sub, Optional<Instant> authTime, Optional<String> sid, Optional<String> grantId) {}

    /** RFC 9068 §2.2. The audience is the client id (no resource indicators yet). */
    String accessToken(Tenant tenant, ClientSettings client, Subject subject, Set<String> scopes) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .issuer(tenant.issuer())
                .subject(subject.sub())
                .audience(client.id())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(client.accessTokenTtl())))
                .jwtID(ids.id())
                .claim("client_id", client.id());
        if (!scopes.isEmpty()) {
            c.claim("scope", Scopes.format(scopes));
        }
        subject.authTime().ifPresent(t -> c.claim("auth_time", t.getEpochSecond()));
        subject.sid().ifPresent(s -> c.claim("sid", s));
        subject.grantId().ifPresent(g -> c.claim(GRANT_CLAIM, g));
        return keys.minter(tenant.name()).sign(client.accessTokenAlg(), AT_JWT, c.build());
    }

    /** OIDC Core §2 and §3.1.3.6 ({@code at_hash}); profile and email claims by scope (§5.4). */
    String idToken(Tenant tenant, ClientSettings client, User user, Subject subject, Set<String> scopes,
            Optional<String> nonce, String accessToken, Optional<String> hookClaims) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder();
        // claims a sign-in hook added first, so that no protocol claim below can be overridden by them
        hookClaims.ifPresent(json -> HOOK_JSON.readValue(json, java.util.Map.class).forEach((k, v) -> c.claim(String.valueOf(k), v)));
        c
                .issuer(tenant.issuer())
                .subject(user.id())
                .audience(client.id())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(client.accessTokenTtl())))
                .claim("azp", client.id());
        subject.authTime().ifPresent(t -> c.claim("auth_time", t.getEpochSecond()));
        subject.sid().ifPresent(s -> c.claim("sid", s));
        nonce.ifPresent(n -> c.claim("nonce", n));
        JWSAlgorithm alg = JWSAlgorithm.parse(client.idTokenAlg());
        // OIDC Core §3.1.3.6: left half of the hash named by the signing algorithm (SHA-256 for both)
        com.nimbusds.jose.jwk.Curve curve = JWSAlgorithm.ES256.equals(alg) ? com.nimbusds.jose.jwk.Curve.P_256 : null;
        c.claim("at_hash", AccessTokenHash.compute(new BearerAccessToken(accessToken), alg, curve).getValue());
        UserClaims.forScopes(user, scopes).forEach(c::claim);
        return keys.minter(tenant.name()).sign(client.idTokenAlg(), JOSEObjectType.JWT, c.build());
    }
}
