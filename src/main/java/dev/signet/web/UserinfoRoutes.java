package dev.signet.web;

import dev.signet.protocol.UserinfoEndpoint;
import dev.signet.tenant.Urls.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The UserInfo endpoint (OIDC Core §5.3: GET and POST), errors as JSON with {@code WWW-Authenticate}. */
public final class UserinfoRoutes implements Mount {

    private final UserinfoEndpoint userinfo;

    public UserinfoRoutes(UserinfoEndpoint userinfo) {
        this.userinfo = Objects.requireNonNull(userinfo, "userinfo");
    }

    @Override
    public List<Route> routes() {
        return List.of(
                Route.get(Path.USERINFO, Cors.allowing(Cors.Origins.WEB_ORIGINS, this::userinfo)).withSurface(Surface.USERINFO),
                Route.post(Path.USERINFO, Cors.allowing(Cors.Origins.WEB_ORIGINS, this::userinfo)).withSurface(Surface.USERINFO),
                Cors.preflight(Path.USERINFO, Cors.Origins.WEB_ORIGINS, Surface.USERINFO, "GET", "POST"));
    }

    void userinfo(Exchange x) {
        // RFC 6750 §2.2: on a POST the token may come in a form-encoded body instead of the header
        Optional<String> formToken = x.method().equals("POST") && x.isForm() ? x.form().get("access_token") : Optional.empty();
        x.json(200, Json.write(userinfo.handle(x.tenant(), x.header("Authorization"), formToken)), false);
    }
}
