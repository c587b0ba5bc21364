package dev.signet.web;

import dev.signet.config.ClientSettings;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * CORS (the Fetch standard's CORS protocol, §3.2) for what a browser application calls from script on its own
 * origin: the metadata documents and the JWKS answer any origin (public, read without credentials); the token,
 * revocation and userinfo endpoints answer the origins that the tenant's clients list in {@code web_origins}
 * (Keycloak's "web origins", Auth0's "allowed web origins"). Never with credentials
 * ({@code Access-Control-Allow-Credentials}): those endpoints take no cookie. Any other origin gets its answer
 * without CORS headers, which a browser keeps from the script (a preflight it reads as a refusal).
 */
final class Cors {

    private Cors() {}

    /** Whose script may read a route's answers. */
    enum Origins {
        /** Any origin ({@code *}): public documents. */
        ANY,
        /** The tenant's clients' {@code web_origins}. */
        WEB_ORIGINS
    }

    /** The request headers a preflight may ask for: what OIDC client libraries send to these endpoints. */
    static final String ALLOW_HEADERS = "Authorization, Content-Type";

    /** {@code handler}, its answers (errors too) readable by {@code who}'s script. */
    static Consumer<Exchange> allowing(Origins who, Consumer<Exchange> handler) {
        return x -> {
            allow(x, who);
            handler.accept(x);
        };
    }

    /**
     * The preflight (Fetch §3.2.2, §3.2.3) of the CORS route at {@code path} taking {@code methods}: 204 with
     * {@code Allow}, and the CORS answer when the origin is allowed and asks for one of those methods.
     */
    static Route preflight(Path path, Origins who, Surface surface, String... methods) {
        List<String> taken = Arrays.asList(methods);
        String listed = String.join(", ", taken);
        return new Route(Route.Method.OPTIONS, path, Optional.empty(), surface, Group.NONE, false, Route.Journey.NONE, x -> {
            x.header("Allow", listed + ", OPTIONS");
            if (x.header("Access-Control-Request-Method").filter(taken::contains).isPresent() && allow(x, who)) {
                x.header("Access-Control-Allow-Methods", listed);
                x.header("Access-Control-Allow-Headers", ALLOW_HEADERS);
                x.header("Access-Control-Max-Age", "600");
            }
            x.empty(204);
        });
    }

    /** Adds the CORS answer for this request's {@code Origin}; true when it is allowed. */
    private static boolean allow(Exchange x, Origins who) {
        Optional<String> origin = x.header("Origin");
        if (who == Origins.ANY) {
            x.anyOrigin();
            return origin.isPresent();
        }
        x.header("Vary", "Origin"); // the answer depends on it (Fetch §3.2.5: caches must not reuse it for another origin)
        Optional<String> allowed = origin.filter(o -> registered(x.tenant(), o));
        allowed.ifPresent(o -> x.header("Access-Control-Allow-Origin", o));
        return allowed.isPresent();
    }

    /** Whether a client of the tenant lists {@code origin} in its {@code web_origins} (exact match: the browser's form). */
    static boolean registered(Tenant tenant, String origin) {
        for (ClientSettings c : tenant.settings().clients()) {
            if (c.webOrigins().contains(origin)) {
                return true;
            }
        }
        return false;
    }
}
