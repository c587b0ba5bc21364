package dev.signet.web;

import dev.signet.tenant.Urls.Path;
import dev.signet.web.Throttle.Group;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One route a {@link Mount} declares: method, path (from the one path enum, {@link Path}, with an
 * optional trailing parameter), the surface its errors are answered on, its rate-limit group, whether
 * it answers on any Host, its place in the sign-in journey counters, and the handler. Built with the
 * factories and {@code with…} copies below; {@link SignetHttp} wraps every route the same way.
 */
public record Route(Method method, Path path, Optional<String> param, Surface surface, Group group, boolean anyHost, Journey journey,
        Consumer<Exchange> handler) {

    /** OPTIONS only for a CORS preflight ({@link Cors#preflight}); every other OPTIONS is a 405. */
    public enum Method { GET, POST, OPTIONS }

    /** Which sign-in counter a route's outcome feeds (by tenant × connection × reason). */
    enum Journey {
        NONE,
        /** {@code signet_signin_started_total}, or failed. */
        START,
        /** {@code signet_signin_succeeded_total}, or failed. */
        FINISH
    }

    public Route {
        Objects.requireNonNull(handler, "handler");
        param.ifPresent(p -> {
            if (!p.matches("[a-z]+")) {
                throw new IllegalArgumentException("route parameter names are lower-case letters: " + p);
            }
        });
    }

    /** A page route (errors as HTML pages), not rate-limited, on the tenant's domains. */
    static Route get(Path path, Consumer<Exchange> handler) {
        return new Route(Method.GET, path, Optional.empty(), Surface.PAGE, Group.NONE, false, Journey.NONE, handler);
    }

    static Route post(Path path, Consumer<Exchange> handler) {
        return new Route(Method.POST, path, Optional.empty(), Surface.PAGE, Group.NONE, false, Journey.NONE, handler);
    }

    /** With a trailing path parameter: {@code /signin/{connection}}. */
    Route withParam(String name) {
        return new Route(method, path, Optional.of(name), surface, group, anyHost, journey, handler);
    }

    /** Errors answered on {@code s} (JSON at the token and userinfo endpoints). */
    Route withSurface(Surface s) {
        return new Route(method, path, param, s, group, anyHost, journey, handler);
    }

    /** Counted against the rate limits of {@code g} (README "Rate limits"). */
    Route withLimit(Group g) {
        return new Route(method, path, param, surface, g, anyHost, journey, handler);
    }

    /** Answers on any Host, with no tenant bound (liveness, assets). */
    Route withAnyHost() {
        return new Route(method, path, param, surface, group, true, journey, handler);
    }

    Route withJourney(Journey j) {
        return new Route(method, path, param, surface, group, anyHost, j, handler);
    }

    /** The pattern the server matches, which is also the route label of metrics and spans: never the raw path. */
    String pattern() {
        return path.value() + param.map(p -> (path.value().endsWith("/") ? "" : "/") + "{" + p + "}").orElse("");
    }
}
