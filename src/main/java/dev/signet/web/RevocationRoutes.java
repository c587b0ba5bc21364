package dev.signet.web;

import dev.signet.protocol.introspect.RevocationEndpoint;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import java.util.List;
import java.util.Objects;

/**
 * The revocation endpoint (RFC 7009 §2): client-authenticated like {@code /token}, so it shares its
 * JSON errors, rate limits and back-off.
 */
public final class RevocationRoutes implements Mount {

    private final RevocationEndpoint revoke;

    public RevocationRoutes(RevocationEndpoint revoke) {
        this.revoke = Objects.requireNonNull(revoke, "revoke");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post(Path.REVOKE, Cors.allowing(Cors.Origins.WEB_ORIGINS, this::revoke)).withSurface(Surface.TOKEN).withLimit(Group.TOKEN),
                Cors.preflight(Path.REVOKE, Cors.Origins.WEB_ORIGINS, Surface.TOKEN, "POST"));
    }

    /** RFC 7009 §2.2: 200 whether or not anything was revoked; the body is ignored by clients. */
    void revoke(Exchange x) {
        revoke.handle(x.tenant(), TokenRoutes.clientRequest(x));
        x.json(200, "{}", false);
    }
}
