package dev.signet.web;

import dev.signet.Ids;
import dev.signet.broker.Broker;
import dev.signet.demo.DemoApp;
import dev.signet.keys.TenantKeys;
import dev.signet.SignetException;
import dev.signet.observe.AccessLog;
import dev.signet.observe.HttpObserver;
import dev.signet.observe.SignetMetrics;
import dev.signet.observe.Tracing;
import dev.signet.protocol.UserinfoEndpoint;
import dev.signet.protocol.device.DeviceAuthorizationEndpoint;
import dev.signet.protocol.introspect.IntrospectionEndpoint;
import dev.signet.protocol.introspect.RevocationEndpoint;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.protocol.logout.EndSessionEndpoint;
import dev.signet.protocol.token.TokenEndpoint;
import dev.signet.session.Sessions;
import dev.signet.ProtocolException;
import dev.signet.RateLimitedException;
import dev.signet.Reason;
import dev.signet.tenant.Domain;
import dev.signet.ratelimit.RateLimits;
import dev.signet.web.Throttle.Group;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import dev.signet.config.ServerSettings;
import dev.signet.web.pages.Pages;
import io.helidon.http.HeaderNames;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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
    public record Capabilities(Supplier<Tenants> tenants, TenantKeys keys, Sessions sessions, AuthorizeEndpoint authorize,
            TokenEndpoint token, UserinfoEndpoint userinfo, Broker broker, Function<Tenant, Optional<DemoApp>> demo, RateLimits limits,
            IntrospectionEndpoint introspect, RevocationEndpoint revoke, DeviceAuthorizationEndpoint device,
            EndSessionEndpoint endSession) {}

    /** How long shutdown waits for in-flight requests (a sign-in's upstream deadline is 20 s). */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(20);

    private final WebServer server;
    private final Drain drain;

    private SignetHttp(WebServer server, Drain drain) {
        this.server = server;
        this.drain = drain;
    }

    /** What the HTTP layer reports to: per-request observation (ids, logs, spans) and the meters. */
    public record Observers(HttpObserver http, SignetMetrics metrics) {}

    /** Starts listening without tracing export or access log; handlers run on virtual threads. */
    public static SignetHttp start(ServerSettings settings, Capabilities capabilities, Ids ids) {
        return start(settings, capabilities, new Observers(new HttpObserver(Tracing.disabled(), new AccessLog(false), ids::id),
                new SignetMetrics()));
    }

    /** Starts listening; handlers run on virtual threads. */
    public static SignetHttp start(ServerSettings settings, Capabilities capabilities, Observers observers) {
        Pages pages = new Pages();
        Routes r = new Routes(capabilities, pages);
        ErrorResponses errors = new ErrorResponses(pages);
        Drain drain = new Drain();
        Handlers h = new Handlers(capabilities.tenants(), errors, observers, drain, new Throttle(capabilities.limits()));
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofSeconds(10))
                .maxPayloadSize(64 * 1024)
                .directHandlers(DirectHandlers.builder().addHandler(DirectHandler.EventType.BAD_REQUEST,
                        (req, event, status, headers, message) -> {
                            observers.metrics().error(Reason.REQUEST_MALFORMED);
                            return errors.unreadable(req, message, observers.http().newCorrelationId());
                        }).build())
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
                .get("/authorize", h.page(Group.AUTHORIZE, r::authorize))
                .post("/authorize", h.page(Group.AUTHORIZE, r::authorize))
                .get("/authorize/resume", h.page(Group.PAGES, r::resume))
                .post("/consent", h.page(Group.PAGES, r::consent))
                .get("/logout", h.page(Group.PAGES, r::endSession)) // RP-Initiated Logout 1.0 §2: GET and POST
                .post("/logout", h.page(Group.PAGES, r::endSession))
                .post("/token", h.on(Surface.TOKEN, Group.TOKEN, r::token))
                .get("/userinfo", h.on(Surface.USERINFO, Group.NONE, r::userinfo))
                .post("/userinfo", h.on(Surface.USERINFO, Group.NONE, r::userinfo))
                // issue 14: client-authenticated like /token, so they share its limits and back-off
                .post("/introspect", h.on(Surface.TOKEN, Group.TOKEN, r::introspect))                    // RFC 7662
                .post("/revoke", h.on(Surface.TOKEN, Group.TOKEN, r::revoke))                            // RFC 7009
                .post("/device_authorization", h.on(Surface.TOKEN, Group.TOKEN, r::deviceAuthorization)) // RFC 8628 §3.1
                .get("/device", h.page(Group.PAGES, r::device))                                          // RFC 8628 §3.3
                .post("/device", h.page(Group.DEVICE, r::device))                                        // user codes: §5.1 limit
                .post("/signin", h.page(Group.PAGES, r::signInByEmail))
                .get("/signin/{connection}", h.page(Group.PAGES, r::signIn))
                .get("/callback/{connection}", h.page(Group.CALLBACK, r::callback))
                .post("/callback/{connection}", h.page(Group.CALLBACK, r::callback)) // response_mode=form_post
                .get("/dev-upstream/{connection}", h.page(Group.DEV_FORM, r::devUpstream))
                .post("/dev-upstream/{connection}", h.page(Group.DEV_FORM, r::devUpstream))
                .get("/demo", h.page(r::demoStart))
                .get("/demo/callback", h.page(Group.CALLBACK, r::demoCallback))
                // DESIGN: every response goes through the one error model, a 404 for an unknown path
                // too (not the HTTP library's plain text). One fixed route pattern, so the unknown
                // path never becomes a metric label or span name.
                .any("/*", h.page(x -> {
                    throw ProtocolException.of(Reason.NOT_FOUND, "There is no such page here.", "no route for this method and path");
                }));
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
     * Wraps handlers: observation (correlation id, log context, span, access log), then the Host →
     * tenant resolution (unknown Host → 421, never echoed), then the handler, then the one error
     * mapper; sign-in counters by tenant × connection × reason. While shutting down, new requests
     * get 503 and in-flight ones finish ({@link Drain}).
     */
    private record Handlers(Supplier<Tenants> tenants, ErrorResponses errors, Observers observers, Drain drain, Throttle throttle) {

        private static final String SIGN_IN = "/signin/{connection}";
        private static final String CALLBACK = "/callback/{connection}";
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

        io.helidon.webserver.http.Handler page(Consumer<Exchange> handler) {
            return on(Surface.PAGE, Group.NONE, handler);
        }

        /** A page whose requests count against the rate limits of {@code group}. */
        io.helidon.webserver.http.Handler page(Group group, Consumer<Exchange> handler) {
            return on(Surface.PAGE, group, handler);
        }

        io.helidon.webserver.http.Handler on(Surface surface, Group group, Consumer<Exchange> handler) {
            return wrap(surface, true, group, handler);
        }

        /** For routes that answer on any Host (liveness, assets): no tenant is bound. */
        io.helidon.webserver.http.Handler anyHost(Consumer<Exchange> handler) {
            return wrap(Surface.PAGE, false, Group.NONE, handler);
        }

        private io.helidon.webserver.http.Handler wrap(Surface surface, boolean resolveHost, Group group, Consumer<Exchange> handler) {
            return (ServerRequest req, ServerResponse res) -> {
                Tenants now = tenants.get();
                String route = req.matchingPattern().orElse(req.path().path());
                String method = req.prologue().method().text();
                String path = req.prologue().uriPath().rawPath();
                String query = req.prologue().hasQuery() ? req.prologue().query().rawValue() : "";
                String peer = req.remotePeer().address() instanceof InetSocketAddress a && a.getAddress() != null
                        ? a.getAddress().getHostAddress() : "";
                // Resolved before observation starts, so the trace cookie is read under its name on this domain.
                Tenants.Resolution resolution = resolveHost ? now.resolve(Exchange.incoming(req)) : null;
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
                        journey(route, x, null);
                    } catch (RuntimeException e) {
                        Reason reason = e instanceof SignetException s ? s.reason() : Reason.INTERNAL;
                        o.failed(reason.code(), e instanceof SignetException ? null : e);
                        observers.metrics().error(reason);
                        if (e instanceof RateLimitedException limited) {
                            observers.metrics().rateLimited(limited.endpoint(), limited.limit());
                        } else {
                            throttle.done(group, x, address, e);
                        }
                        journey(route, x, reason);
                        if (!x.sent()) {
                            errors.write(x, surface, x.tenantOrNull(), e);
                        }
                    } finally {
                        drain.exit();
                    }
                    o.status(res.status().code());
                }
            };
        }

        /** Sign-in counters by tenant × connection (× reason); an unknown connection id is never a label value. */
        private void journey(String route, Exchange x, @Nullable Reason failed) {
            boolean start = route.equals(SIGN_IN);
            Tenant tenant = x.tenantOrNull();
            if ((!start && !route.equals(CALLBACK)) || tenant == null) {
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
