package dev.signet.web;

import dev.signet.protocol.introspect.IntrospectionEndpoint;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import java.util.List;
import java.util.Objects;

/**
 * The introspection endpoint (RFC 7662 §2): client-authenticated like {@code /token}, so it shares its
 * JSON errors, rate limits and back-off.
 */
public final class IntrospectionRoutes implements Mount {

    private final IntrospectionEndpoint introspect;

    public IntrospectionRoutes(IntrospectionEndpoint introspect) {
        this.introspect = Objects.requireNonNull(introspect, "introspect");
    }

    @Override
    public List<Route> routes() {
        return List.of(Route.post(Path.INTROSPECT, this::introspect).withSurface(Surface.TOKEN).withLimit(Group.TOKEN));
    }

    void introspect(Exchange x) {
        x.json(200, Json.write(introspect.handle(x.tenant(), TokenRoutes.clientRequest(x))), false);
    }
}
