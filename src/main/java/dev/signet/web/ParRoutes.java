package dev.signet.web;

import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.protocol.token.AuthenticatedClient;
import dev.signet.protocol.token.ClientAuthentication;
import dev.signet.protocol.token.TokenRequest;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import java.util.List;
import java.util.Objects;

/**
 * The pushed authorization request endpoint (RFC 9126 §2): client-authenticated like {@code /token}, so it shares
 * its JSON errors, rate limits and back-off; answers 201 with the {@code request_uri} the browser then brings to
 * {@code /authorize}.
 */
public final class ParRoutes implements Mount {

    private final AuthorizeEndpoint authorize;
    private final ClientAuthentication authentication;

    public ParRoutes(AuthorizeEndpoint authorize, ClientAuthentication authentication) {
        this.authorize = Objects.requireNonNull(authorize, "authorize");
        this.authentication = Objects.requireNonNull(authentication, "authentication");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post(Path.PAR, this::push).withSurface(Surface.TOKEN).withLimit(Group.TOKEN));
    }

    /** §2.2: 201 Created, {@code request_uri} and {@code expires_in}; never cached. */
    void push(Exchange x) {
        Tenant tenant = x.tenant();
        TokenRequest request = TokenRoutes.clientRequest(x);
        AuthenticatedClient client = authentication.authenticate(tenant, request, tenant.urls().at(Path.PAR));
        x.json(201, Json.write(authorize.push(tenant, client.id(), request.form())), false);
    }
}
