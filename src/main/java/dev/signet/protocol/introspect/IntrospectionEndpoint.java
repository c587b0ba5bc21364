package dev.signet.protocol.introspect;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.config.ClientSettings;
import dev.signet.protocol.Scopes;
import dev.signet.protocol.token.AuthenticatedClient;
import dev.signet.protocol.token.ClientAuthentication;
import dev.signet.protocol.token.TokenRequest;
import dev.signet.store.GrantStore;
import dev.signet.store.TokenRevocations;
import dev.signet.store.Transactions;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The introspection endpoint (RFC 7662). Only authenticated clients may call it (§2.1; a public
 * client cannot authenticate: {@code invalid_client}, 401). The answer is {@code {"active": false}}
 * and nothing else (§2.2) for a token that is unknown, expired, revoked, of another tenant, or one
 * the caller may not see: a client sees its own tokens, and a resource server also the access tokens
 * whose audience it lists ({@code introspection.audiences}); refresh tokens only their own client.
 * At most one read transaction.
 */
public final class IntrospectionEndpoint {

    private final Transactions transactions;
    private final GrantStore grants;
    private final TokenRevocations revocations;
    private final TokenLookup lookup;
    private final ClientAuthentication authentication;
    private final Clock clock;

    public IntrospectionEndpoint(Transactions transactions, GrantStore grants, TokenRevocations revocations,
            dev.signet.keys.JwtVerifier verifier, ClientAuthentication authentication, Clock clock) {
        this.transactions = transactions;
        this.grants = grants;
        this.revocations = revocations;
        this.lookup = new TokenLookup(grants, verifier);
        this.authentication = authentication;
        this.clock = clock;
    }

    public Map<String, Object> handle(Tenant tenant, TokenRequest request) {
        AuthenticatedClient caller = authentication.authenticate(tenant, request, tenant.urls().at(Path.INTROSPECT));
        if (caller.settings().isPublic()) {
            throw ProtocolException.of(Reason.INVALID_CLIENT, "client authentication failed",
                    "a public client cannot authenticate, so it may not introspect (RFC 7662 §2.1)");
        }
        String token = request.form().require("token");
        Instant now = clock.instant();
        return transactions.read(tx -> switch (lookup.find(tx, tenant, token, request.form().get("token_type_hint"))) {
            case TokenLookup.Access a -> {
                JWTClaimsSet c = a.claims();
                boolean visible = maySee(caller.settings(), c);
                boolean revoked = visible && (revocations.isRevoked(tx, tenant.name(), c.getJWTID())
                        || TokenLookup.grantOf(c).map(g -> grants.byId(tx, tenant.name(), g).map(x -> x.revoked()).orElse(true)).orElse(false));
                yield visible && !revoked ? access(c) : inactive();
            }
            case TokenLookup.Refresh r -> {
                boolean active = r.grant().clientId().equals(caller.id()) && !r.token().used() && !r.grant().revoked()
                        && now.isBefore(r.token().expiresAt());
                yield active ? refresh(tenant, r) : inactive();
            }
            case TokenLookup.Unknown u -> inactive();
        });
    }

    /** Its own token, or (a resource server) a token whose audience it lists. */
    private static boolean maySee(ClientSettings caller, JWTClaimsSet c) {
        if (TokenLookup.string(c, "client_id").filter(caller.id()::equals).isPresent()) {
            return true;
        }
        List<String> aud = c.getAudience();
        return aud != null && aud.stream().anyMatch(caller.auth().introspectionAudiences()::contains);
    }

    private static Map<String, Object> inactive() {
        return Map.of("active", false);
    }

    /** RFC 7662 §2.2 for a JWT access token (RFC 9068 claims). */
    private static Map<String, Object> access(JWTClaimsSet c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        TokenLookup.string(c, "scope").ifPresent(s -> out.put("scope", s));
        TokenLookup.string(c, "client_id").ifPresent(s -> out.put("client_id", s));
        out.put("token_type", "Bearer");
        seconds(c.getExpirationTime(), "exp", out);
        seconds(c.getIssueTime(), "iat", out);
        seconds(c.getNotBeforeTime(), "nbf", out);
        out.put("sub", c.getSubject());
        List<String> aud = c.getAudience();
        out.put("aud", aud.size() == 1 ? aud.getFirst() : aud);
        out.put("iss", c.getIssuer());
        out.put("jti", c.getJWTID());
        return out;
    }

    /** RFC 7662 §2.2 for a refresh token (RFC 7662 names no token_type for it, so none is given). */
    private static Map<String, Object> refresh(Tenant tenant, TokenLookup.Refresh r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", true);
        String scope = Scopes.format(r.grant().scopes());
        if (!scope.isEmpty()) {
            out.put("scope", scope);
        }
        out.put("client_id", r.grant().clientId());
        out.put("exp", r.token().expiresAt().getEpochSecond());
        out.put("sub", r.grant().userId());
        out.put("iss", tenant.issuer());
        return out;
    }

    private static void seconds(Date d, String name, Map<String, Object> out) {
        if (d != null) {
            out.put(name, d.toInstant().getEpochSecond());
        }
    }
}
