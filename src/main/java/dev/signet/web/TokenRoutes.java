package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.protocol.token.TokenEndpoint;
import dev.signet.protocol.token.TokenRequest;
import dev.signet.protocol.token.TokenResponse;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The token endpoint (RFC 6749 §3.2): errors as OAuth JSON, rate-limited per address and client. */
public final class TokenRoutes implements Mount {

    private final TokenEndpoint token;

    public TokenRoutes(TokenEndpoint token) {
        this.token = Objects.requireNonNull(token, "token");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post(Path.TOKEN, Cors.allowing(Cors.Origins.WEB_ORIGINS, this::token)).withSurface(Surface.TOKEN).withLimit(Group.TOKEN),
                Cors.preflight(Path.TOKEN, Cors.Origins.WEB_ORIGINS, Surface.TOKEN, "POST"));
    }

    void token(Exchange x) {
        Tenant tenant = x.tenant();
        if (!x.isForm()) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "the body must be application/x-www-form-urlencoded (RFC 6749 §3.2)");
        }
        TokenResponse r = token.handle(tenant, new TokenRequest(x.form(), x.header("Authorization")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", r.accessToken());
        body.put("token_type", r.tokenType());
        body.put("expires_in", r.expiresIn());
        r.refreshToken().ifPresent(t -> body.put("refresh_token", t));
        r.idToken().ifPresent(t -> body.put("id_token", t));
        if (!r.scope().isEmpty()) {
            body.put("scope", r.scope());
        }
        x.json(200, Json.write(body), false);
    }

    /**
     * A request to an endpoint a client calls with its credentials: a form body (RFC 6749 §3.2, RFC 7662
     * §2.1, RFC 7009 §2.1, RFC 8628 §3.1).
     */
    static TokenRequest clientRequest(Exchange x) {
        if (!x.isForm()) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "the body must be application/x-www-form-urlencoded");
        }
        return new TokenRequest(x.form(), x.header("Authorization"));
    }
}
