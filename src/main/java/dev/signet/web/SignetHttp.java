package dev.signet.web;

import dev.signet.SignetException;
import dev.signet.observe.HttpObserver;
import dev.signet.observe.SignetMetrics;
import dev.signet.InternalException;
import dev.signet.ProtocolException;
import dev.signet.RateLimitedException;
import dev.signet.Reason;
import dev.signet.tenant.Domain;
import dev.signet.ratelimit.RateLimits;
import dev.signet.web.Route.Journey;
import dev.signet.web.Throttle.Group;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import dev.signet.config.ServerSettings;
import dev.signet.web.pages.Pages;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP adapter: mounts the routes every capability declares ({@link Mount}), and the one wrapper
 * that gives every request a correlation id and sends every failure through {@link ErrorResponses}.
 * There is no central route table: each mount lists its own routes; the 404 catch-all is added last.
 * The only package that knows Helidon.
 */
public final class SignetHttp implements AutoCloseable {

    /** The most request content Signet reads (larger: 413 {@code request.too_large}); no endpoint takes more than a form. */
    static final int MAX_CONTENT_BYTES = 64 * 1024;

    /** How long shutdown waits for in-flight requests (a sign-in's upstream deadline is 20 s). */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(20);

    private final WebServer server;
    private final Drain drain;
    private final int maxConnections;
    private final OpenConnections connections;

    private SignetHttp(WebServer server, Drain drain, int maxConnections, OpenConnections connections) {
        this.server = server;
        this.drain = drain;
        this.maxConnections = maxConnections;
        this.connections = connections;
    }

    /** What the HTTP layer reports to: per-request observation (ids, logs, spans) and the meters. */
    public record Observers(HttpObserver http, SignetMetrics metrics) {}

    /**
     * Starts listening; handlers run on virtual threads. {@code tenants} is read once per request (the
     * configuration in force when it arrived: a reload never changes a request half-way); {@code
     * mounts} are mounted in the order given (no two may declare the same method and path).
     */
    public static SignetHttp start(ServerSettings settings, Supplier<Tenants> tenants, RateLimits limits, Pages pages, List<Mount> mounts,
            Observers observers) {
        // A request no route handled (unreadable, or the catch-all) is answered on the surface of the
        // route its path names (JSON at the API endpoints): taken from the mounted routes' declared
        // surfaces, never a second list to keep in step.
        RouteSurfaces surfaces = new RouteSurfaces(mounts);
        ErrorResponses errors = new ErrorResponses(pages, surfaces);
        Drain drain = new Drain();
        Handlers h = new Handlers(tenants, errors, observers, drain, new Throttle(limits));
        if (settings.maxConnections() == ServerSettings.AUTO_CONNECTIONS) {
            throw new IllegalArgumentException("max connections must be resolved for the heap first (app.MemoryBudget)");
        }
        int maxConnections = settings.maxConnections();
        OpenConnections connections = new OpenConnections(maxConnections);
        observers.metrics().gauge("signet.http.connections.open", "Connections open on the public listener", connections::open);
        observers.metrics().gauge("signet.http.connections.limit", "The public listener's server.max_connections", () -> maxConnections);
        observers.metrics().functionCounter("signet.http.connections.closed.idle",
                "Idle connections closed before server.idle_timeout because the listener was near its limit", connections::closedIdle);
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofSeconds(10))
                .maxPayloadSize(MAX_CONTENT_BYTES)
                // a blocking java.net.Socket per connection (on its virtual thread) instead of Helidon's NIO
                // channel: one 8 KiB buffer instead of two, 15.4 instead of 23.2 KB of heap per open connection,
                // and no slower (README "Connections and memory": same-sitting A/B per server CPU-s)
                .useNio(false)
                .maxTcpConnections(maxConnections) // ConnectionLimits
                // the only HTTP/1.1 selector (no discovered one beside it: with two, Helidon identifies each connection
                // by its first bytes and drops what neither supports, e.g. HTTP/1.0 instead of its 505 direct handler)
                .protocolsDiscoverServices(false)
                .addConnectionSelector(connections) // near the limit, the longest-idle connections are closed first
                .idleConnectionTimeout(settings.idleTimeout())
                .idleConnectionPeriod(ConnectionLimits.checkEvery(settings.idleTimeout()))
                .directHandlers(errors.directHandlers(observers.metrics()::error, observers.http()::newCorrelationId))
                .routing(routing -> mount(routing, mounts, h, surfaces))
                .build()
                .start();
        if (!server.isRunning() || server.port() <= 0) {
            connections.close();
            // Helidon logs the cause and returns a stopped server instead of throwing.
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
                    + " (is another process using the port?)");
        }
        return new SignetHttp(server, drain, maxConnections, connections);
    }

    /** Mounts every route of every mount, then each mounted path's 405 for the other methods, then the catch-all. */
    private static void mount(HttpRouting.Builder routing, List<Mount> mounts, Handlers h, RouteSurfaces surfaces) {
        // RFC 9112 §3.2.4: the asterisk-form ("*") is only for a server-wide OPTIONS (RFC 9110 §9.3.7),
        // answered 200 with the methods Signet takes anywhere; any other method with "*" is a malformed
        // request. Helidon routes no path without its leading "/" (it answers its own plain 404, even
        // to an exact route for "*"), so a filter, first, answers it through the one error model. Like
        // every other request, one whose Host names no tenant is 421 first.
        io.helidon.webserver.http.Handler asterisk = h.wrap(x -> surfaces.of(x.rawPath(), x.header("Accept")), false, Group.NONE, Journey.NONE, x -> {
            if (!x.method().equals("OPTIONS")) {
                throw ProtocolException.of(Reason.REQUEST_MALFORMED, "This request cannot be read.",
                        "the asterisk-form request target is only for OPTIONS (RFC 9112 §3.2.4)");
            }
            x.header("Allow", "GET, HEAD, POST");
            x.empty(200);
        });
        routing.addFilter((chain, req, res) -> {
            if (req.prologue().uriPath().rawPath().startsWith("/")) {
                chain.proceed();
                return;
            }
            try {
                asterisk.handle(req, res);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) { // the Handler interface declares it; wrap() throws none
                throw new IllegalStateException(e);
            }
        });
        Set<String> seen = new HashSet<>();
        Map<String, List<Route>> byPattern = new LinkedHashMap<>();
        for (Mount m : mounts) {
            for (Route r : m.routes()) {
                if (!seen.add(r.method() + " " + r.pattern())) {
                    throw new IllegalStateException("two mounts declare " + r.method() + " " + r.pattern());
                }
                switch (r.method()) {
                    // RFC 9110 §9.1: a general-purpose server supports GET and HEAD; §9.3.2: HEAD is GET
                    // without the content (Exchange writes no content for HEAD)
                    case GET -> {
                        io.helidon.webserver.http.Handler get = h.wrap(r);
                        routing.get(r.pattern(), get);
                        routing.head(r.pattern(), get);
                    }
                    case POST -> routing.post(r.pattern(), h.wrap(r));
                    case OPTIONS -> routing.options(r.pattern(), h.wrap(r));
                }
                byPattern.computeIfAbsent(r.pattern(), p -> new ArrayList<>()).add(r);
            }
        }
        // RFC 9110 §15.5.6: a mounted path asked with another method (PUT /token, DELETE /authorize,
        // OPTIONS: Signet answers no CORS preflight) is a 405 whose Allow header lists the methods
        // mounted for it (§10.2.1), on the surface of its routes (JSON at /token), with the
        // mounted pattern as route label. After every route (Helidon tries routes in the order
        // added), so it only takes the methods none of them took.
        byPattern.forEach((pattern, routes) -> {
            Route first = routes.getFirst();
            String allow = routes.stream().map(Route::method).sorted()
                    .flatMap(m -> m == Route.Method.GET ? java.util.stream.Stream.of("GET", "HEAD") : java.util.stream.Stream.of(m.name()))
                    .distinct().collect(Collectors.joining(", "));
            routing.any(pattern, h.wrap(x -> first.surface(), routes.stream().allMatch(Route::anyHost), Group.NONE, Journey.NONE, x -> {
                x.header("Allow", allow);
                throw ProtocolException.of(Reason.METHOD_NOT_ALLOWED, "This address does not take this request method (it takes " + allow + ").",
                        x.method() + " " + pattern + "; allowed: " + allow);
            }));
        });
        // DESIGN: every response goes through the one error model, a 404 for an unknown path too (not
        // the HTTP library's plain text). One fixed route pattern, so the unknown path never becomes a
        // metric label or span name. Last: Helidon tries routes in the order they were added. Answered on
        // the surface of a route whose path RouteSurfaces matches (a mounted path's other methods are its 405
        // above, so rarely), else by Accept.
        routing.any("/*", h.wrap(x -> surfaces.of(x.rawPath(), x.header("Accept")), false, Group.NONE, Journey.NONE, x -> {
            throw ProtocolException.of(Reason.NOT_FOUND, "There is no such page here.", "no route for this method and path");
        }));
    }

    public int port() {
        return server.port();
    }

    /** How many connections the listener holds open at once ({@code server.max_connections}, or the default for the heap). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Stops taking requests (503), lets in-flight requests finish within {@link #DRAIN_GRACE}, then stops the server. */
    @Override
    public void close() {
        drain.drain(DRAIN_GRACE);
        server.stop();
        connections.close();
    }

    /**
     * Wraps handlers: observation (correlation id, log context, span, access log), then the Host →
     * tenant resolution (unknown Host → 421, never echoed), then the handler, then the one error
     * mapper; sign-in counters by tenant × connection × reason. While shutting down, new requests
     * get 503 and in-flight ones finish ({@link Drain}).
     */
    private record Handlers(Supplier<Tenants> tenants, ErrorResponses errors, Observers observers, Drain drain, Throttle throttle) {

        private static final io.helidon.http.HeaderName X_FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");

        /** False when shutting down, after answering 503 + Retry-After. */
        private boolean enter(Exchange x) {
            if (drain.enter()) {
                return true;
            }
            x.retryAfter(ErrorResponses.RETRY_AFTER_SECONDS);
            x.text(503, "Signet is restarting; please retry.");
            return false;
        }

        io.helidon.webserver.http.Handler wrap(Route r) {
            Surface surface = r.surface();
            return wrap(x -> surface, r.anyHost(), r.group(), r.journey(), r.handler());
        }

        /** {@code anyHost}: no tenant is bound (liveness, assets); {@code surface}: where this request's errors are answered. */
        io.helidon.webserver.http.Handler wrap(java.util.function.Function<Exchange, Surface> surface, boolean anyHost, Group group, Journey journey, Consumer<Exchange> handler) {
            boolean resolveHost = !anyHost;
            return (ServerRequest req, ServerResponse res) -> {
                boolean close = ConnectionClose.asked(req, res);
                answer(req, res, surface, resolveHost, group, journey, handler);
                if (close) {
                    ConnectionClose.afterAnswer(req);
                }
            };
        }

        private void answer(ServerRequest req, ServerResponse res, java.util.function.Function<Exchange, Surface> surface, boolean resolveHost,
                Group group, Journey journey, Consumer<Exchange> handler) {
            long started = System.nanoTime();
            Tenants now = tenants.get();
            String route = req.matchingPattern().orElse(req.path().path());
            String method = req.prologue().method().text();
            String path = req.prologue().uriPath().rawPath();
            String query = req.prologue().hasQuery() ? req.prologue().query().rawValue() : "";
            String peer = req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
                    ? a.getAddress().getHostAddress() : ""; // the IP literal: no reverse DNS lookup
            // Resolved before observation starts, so the trace cookie is read under its name on this domain.
            Tenants.Resolution resolution = resolveHost ? now.resolve(Exchange.incoming(req, peer)) : null;
            Domain domain = resolution instanceof Tenants.Resolution.Found f ? f.tenant().domain() : null;
            try (HttpObserver.Request o = observers.http().begin(method, route, path, query,
                    name -> req.headers().first(HeaderNames.create(name)).orElse(null),
                    name -> Exchange.cookie(req, domain, name), now.trusts(peer))) {
                Exchange x = new Exchange(req, res, o.correlationId());
                if (!enter(x)) {
                    o.status(503);
                    return;
                }
                o.traceCookie().ifPresent(x::traceCookie);
                String address = group == Group.NONE ? "" : now.clientAddress(peer, req.headers().values(X_FORWARDED_FOR));
                try {
                    if (resolution != null) {
                        switch (resolution) {
                            case Tenants.Resolution.Found f -> x.bind(f.tenant());
                            case Tenants.Resolution.Refused r -> throw ProtocolException.of(Reason.UNKNOWN_HOST,
                                    r.servedHere().map(u -> "This address is not served here. On this machine, Signet serves "
                                            + u + " : open that address instead.").orElse("This address is not served here."), r.why());
                        }
                    }
                    throttle.admit(group, x, address);
                    handler.accept(x);
                    throttle.done(group, x, address, null);
                    journey(journey, x, null);
                } catch (RuntimeException | LinkageError thrown) {
                    // A class that cannot be loaded or linked (a dependency missing from the jar) is
                    // an internal error like any other: through the error model, never the library's 500.
                    RuntimeException e = thrown instanceof RuntimeException r ? r
                            : new InternalException("a class could not be loaded or linked: " + thrown, thrown);
                    Reason reason = e instanceof SignetException s ? s.reason() : Reason.INTERNAL;
                    o.failed(reason.code(), e instanceof SignetException ? null : e);
                    observers.metrics().error(reason);
                    if (e instanceof RateLimitedException limited) {
                        observers.metrics().rateLimited(limited.endpoint(), limited.limit());
                    } else {
                        throttle.done(group, x, address, e);
                    }
                    journey(journey, x, reason);
                    if (!x.sent()) {
                        errors.write(x, surface.apply(x), x.tenantOrNull(), e);
                    }
                } finally {
                    drain.exit();
                }
                o.status(res.status().code());
                observers.metrics().request(method, route, System.nanoTime() - started);
            }
        }

        /** Sign-in counters by tenant × connection (× reason); an unknown connection id is never a label value. */
        private void journey(Journey journey, Exchange x, @Nullable Reason failed) {
            boolean start = journey == Journey.START;
            Tenant tenant = x.tenantOrNull();
            if (journey == Journey.NONE || tenant == null) {
                return;
            }
            String id = x.pathParam("connection");
            String connection = tenant.connection(id).isPresent() ? id : "unknown";
            if (failed != null) {
                observers.metrics().signInFailed(tenant.name(), connection, failed);
            } else if (start) {
                observers.metrics().signInStarted(tenant.name(), connection);
            } else {
                observers.metrics().signInSucceeded(tenant.name(), connection);
            }
        }
    }
}
