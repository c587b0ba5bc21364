package dev.signet.web;

import dev.signet.Ids;
import dev.signet.broker.Broker;
import dev.signet.demo.DemoApp;
import dev.signet.keys.SigningKeys;
import dev.signet.observe.RequestContext;
import dev.signet.protocol.UserinfoEndpoint;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.protocol.token.TokenEndpoint;
import dev.signet.session.Sessions;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import dev.signet.config.ServerSettings;
import dev.signet.web.pages.Pages;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP adapter: the route table, and the one wrapper that gives every request a correlation id
 * and sends every failure through {@link ErrorResponses}. The only package that knows Helidon.
 */
public final class SignetHttp implements AutoCloseable {

    /** Everything the HTTP layer calls, built by the composition root. */
    /**
     * Everything the HTTP layer calls, built by the composition root. {@code tenants} is read once
     * per request (the configuration in force when it arrived: a reload never changes a request
     * half-way); {@code demo} gives the demo app for a tenant on a domain, if it has one.
     */
    public record Capabilities(Supplier<Tenants> tenants, SigningKeys keys, Sessions sessions, AuthorizeEndpoint authorize,
            TokenEndpoint token, UserinfoEndpoint userinfo, Broker broker, Function<Tenant, Optional<DemoApp>> demo) {}

    /** How long shutdown waits for in-flight requests (a sign-in's upstream deadline is 20 s). */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(20);

    private final WebServer server;
    private final Drain drain;

    private SignetHttp(WebServer server, Drain drain) {
        this.server = server;
        this.drain = drain;
    }

    /** Starts listening; handlers run on virtual threads. */
    public static SignetHttp start(ServerSettings settings, Capabilities capabilities, Ids ids) {
        Pages pages = new Pages();
        Routes r = new Routes(capabilities, pages);
        ErrorResponses errors = new ErrorResponses(pages);
        Drain drain = new Drain();
        Handlers h = new Handlers(capabilities.tenants(), errors, ids, drain);
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofSeconds(10))
                .maxPayloadSize(64 * 1024)
                .routing(routing -> routes(routing, r, h))
                .build()
                .start();
        if (!server.isRunning() || server.port() <= 0) {
            // Helidon logs the cause and returns a stopped server instead of throwing.
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port()
                    + " (is another process using the port?)");
        }
        return new SignetHttp(server, drain);
    }

    /** The route table (DESIGN.md "the sign-in journey"). */
    private static void routes(HttpRouting.Builder routing, Routes r, Handlers h) {
        routing
                .get("/", h.page(r::home))
                .get("/healthz", h.anyHost(x -> x.text(200, "ok")))
                .get("/assets/{name}", h.anyHost(r::asset))
                .get("/.well-known/openid-configuration", h.page(r::discovery))
                .get("/.well-known/oauth-authorization-server", h.page(r::discovery)) // RFC 8414 §3
                .get("/jwks", h.page(r::jwks))
                .get("/authorize", h.page(r::authorize))
                .post("/authorize", h.page(r::authorize))
                .get("/authorize/resume", h.page(r::resume))
                .post("/token", h.on(Surface.TOKEN, r::token))
                .get("/userinfo", h.on(Surface.USERINFO, r::userinfo))
                .post("/userinfo", h.on(Surface.USERINFO, r::userinfo))
                .get("/signin", h.page(r::signInByEmail))
                .get("/signin/{connection}", h.page(r::signIn))
                .get("/callback/{connection}", h.page(r::callback))
                .get("/dev-upstream/{connection}", h.page(r::devUpstream))
                .post("/dev-upstream/{connection}", h.page(r::devUpstream))
                .get("/demo", h.page(r::demoStart))
                .get("/demo/callback", h.page(r::demoCallback));
    }

    public int port() {
        return server.port();
    }

    /** Stops taking requests (503), lets in-flight requests finish within {@link #DRAIN_GRACE}, then stops the server. */
    @Override
    public void close() {
        drain.drain(DRAIN_GRACE);
        server.stop();
    }

    /**
     * Wraps handlers: correlation id, then the Host → tenant resolution (unknown Host → 421, never
     * echoed), then the handler, then the one error mapper. While shutting down, new requests get
     * 503 and in-flight ones finish ({@link Drain}).
     */
    private record Handlers(Supplier<Tenants> tenants, ErrorResponses errors, Ids ids, Drain drain) {

        /** False when shutting down, after answering 503 + Retry-After. */
        private boolean enter(Exchange x) {
            if (drain.enter()) {
                return true;
            }
            x.retryAfter(ErrorResponses.RETRY_AFTER_SECONDS);
            x.text(503, "Signet is restarting; please retry.");
            return false;
        }

        io.helidon.webserver.http.Handler page(Consumer<Exchange> handler) {
            return on(Surface.PAGE, handler);
        }

        io.helidon.webserver.http.Handler on(Surface surface, Consumer<Exchange> handler) {
            return (ServerRequest req, ServerResponse res) -> {
                String id = correlationId(req);
                try (RequestContext ignored = RequestContext.open(id, "")) {
                    Exchange x = new Exchange(req, res, id);
                    if (!enter(x)) {
                        return;
                    }
                    try {
                        switch (tenants.get().resolve(x.incoming())) {
                            case Tenants.Resolution.Found f -> x.bind(f.tenant());
                            case Tenants.Resolution.Refused r -> throw ProtocolException.of(Reason.UNKNOWN_HOST,
                                    "This address is not served here.", r.why());
                        }
                        handler.accept(x);
                    } catch (RuntimeException e) {
                        if (!x.sent()) {
                            errors.write(x, surface, x.tenantOrNull(), e);
                        }
                    } finally {
                        drain.exit();
                    }
                }
            };
        }

        /** For routes that answer on any Host (liveness, metrics): no tenant is bound. */
        io.helidon.webserver.http.Handler anyHost(Consumer<Exchange> handler) {
            return (ServerRequest req, ServerResponse res) -> {
                String id = correlationId(req);
                try (RequestContext ignored = RequestContext.open(id, "")) {
                    Exchange x = new Exchange(req, res, id);
                    if (!enter(x)) {
                        return;
                    }
                    try {
                        handler.accept(x);
                    } catch (RuntimeException e) {
                        if (!x.sent()) {
                            errors.write(x, Surface.PAGE, null, e);
                        }
                    } finally {
                        drain.exit();
                    }
                }
            };
        }

        /**
         * An incoming {@code X-Request-Id} is kept only when it is well-formed and comes from a
         * trusted peer (until {@code server.trusted_proxies} exists: loopback, where a local reverse
         * proxy runs); otherwise a fresh id, so clients cannot choose what appears in our logs.
         */
        private String correlationId(ServerRequest req) {
            var incoming = req.headers().first(Exchange.REQUEST_ID);
            if (incoming.isPresent() && RequestContext.wellFormed(incoming.get())
                    && req.remotePeer().address() instanceof InetSocketAddress peer && peer.getAddress() != null
                    && peer.getAddress().isLoopbackAddress()) {
                return incoming.get();
            }
            return ids.id();
        }
    }
}
