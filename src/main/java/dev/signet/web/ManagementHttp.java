package dev.signet.web;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.config.ObserveSettings;
import dev.signet.config.ServerSettings;
import dev.signet.tenant.Hosts;
import dev.signet.web.pages.Pages;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.stream.Collectors;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import dev.signet.observe.Health;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The management listener: a second Helidon server, on its own host and port (default
 * 127.0.0.1:9464), so that metrics, health and probe status are never exposed on the public
 * sign-in port by accident.
 *
 * <pre>
 *   GET /metrics        Prometheus text format
 *   GET /health/live    200 while the process serves
 *   GET /health/ready   200 when store, keys and config are fine, else 503 (JSON lists each check)
 *   GET /probes         probe results as JSON (read by `signet probes`)
 *   GET /status         the same as a small HTML page
 * </pre>
 *
 * <p>Every request must name the listener itself in {@code Host}, else 421 {@code
 * request.unknown_host}: a page on {@code evil.example} whose name a DNS-rebinding attacker
 * re-points at 127.0.0.1 reaches this port from a local browser, but with {@code Host:
 * evil.example}. Accepted: {@code localhost}, loopback literals, the bind address, the address the
 * connection arrived on (what a kubelet or Prometheus uses when it probes a pod by IP), and the
 * names configured in {@code management.hosts}. The port in {@code Host} is not checked.
 *
 * <p>Its errors go through {@link ErrorResponses} like the public port's: JSON ({@code {"error":
 * "<reason code>", ...}}), plain text at {@code /metrics}; another method on a route's path is 405
 * with {@code Allow: GET}, an unknown path 404 {@code not_found}, an unreadable request 400 {@code
 * request.malformed}.
 */
public final class ManagementHttp implements AutoCloseable {

    /** What the listener serves, as functions, so this class knows nothing of how it is computed. */
    public record Endpoints(Supplier<String> metrics, Health health, Supplier<String> probesJson, Supplier<String> statusHtml) {}

    private final WebServer server;

    private ManagementHttp(WebServer server) {
        this.server = server;
    }

    /** One route of the listener (all are GET): its path, the surface its errors are answered on, its handler. */
    private record Get(String path, Surface surface, Handler handler) {}

    /**
     * {@code maxConnections}: how many connections it holds open at once (app.MemoryBudget); {@code count} is told
     * the reason of every error it answers ({@code signet_errors_total}, as on the public listener: a 421 here is
     * what a DNS-rebinding page or a misconfigured scraper shows up as).
     */
    public static ManagementHttp start(ObserveSettings.Management settings, int maxConnections, Endpoints e, Ids ids,
            Consumer<Reason> count) {
        List<Get> routes = List.of(
                new Get("/metrics", Surface.TEXT, (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    res.send(e.metrics().get().getBytes(StandardCharsets.UTF_8));
                }),
                new Get("/health/live", Surface.MANAGEMENT, (req, res) -> health(res, e.health().live())),
                new Get("/health/ready", Surface.MANAGEMENT, (req, res) -> health(res, e.health().ready())),
                new Get("/probes", Surface.MANAGEMENT, (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.header(HeaderNames.CACHE_CONTROL, "no-store");
                    res.send(e.probesJson().get().getBytes(StandardCharsets.UTF_8));
                }),
                new Get("/status", Surface.MANAGEMENT, (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
                    res.header(HeaderNames.CACHE_CONTROL, "no-store");
                    res.send(e.statusHtml().get().getBytes(StandardCharsets.UTF_8));
                }));
        // Errors through the one error model, on the surface of the path's route: plain text at
        // /metrics, JSON elsewhere (an unknown path too), never the HTTP library's own answer.
        RouteSurfaces surfaces = RouteSurfaces.exact(routes.stream().collect(Collectors.toMap(Get::path, Get::surface)),
                Surface.MANAGEMENT);
        ErrorResponses errors = new ErrorResponses(new Pages(), surfaces);
        Set<String> names = ownNames(settings);
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofSeconds(2))
                .maxTcpConnections(maxConnections)
                .idleConnectionTimeout(ServerSettings.DEFAULT_IDLE_TIMEOUT)
                .idleConnectionPeriod(ConnectionLimits.checkEvery(ServerSettings.DEFAULT_IDLE_TIMEOUT))
                .directHandlers(errors.directHandlers(count, ids::id))
                .routing(r -> {
                    r.addFilter((chain, req, res) -> {
                        boolean close = ConnectionClose.asked(req, res);
                        if (!servesHost(req, names)) {
                            fail(req, res, ids, count, errors, surfaces, ProtocolException.of(Reason.UNKNOWN_HOST,
                                    "This address is not served here.", "management listener: Host is none of its names"));
                        } else if (!req.prologue().uriPath().rawPath().startsWith("/")) {
                            // RFC 9112 §3.2.4: the asterisk-form, only for a server-wide OPTIONS (RFC 9110 §9.3.7)
                            if (req.prologue().method().text().equals("OPTIONS")) {
                                res.header(HeaderNames.ALLOW, "GET");
                                res.status(io.helidon.http.Status.OK_200).send();
                            } else {
                                fail(req, res, ids, count, errors, surfaces, ProtocolException.of(Reason.REQUEST_MALFORMED, "This request cannot be read.",
                                        "the asterisk-form request target is only for OPTIONS (RFC 9112 §3.2.4)"));
                            }
                        } else {
                            chain.proceed();
                        }
                        if (close) {
                            ConnectionClose.afterAnswer(req);
                        }
                    });
                    routes.forEach(g -> r.get(g.path(), g.handler()));
                    // RFC 9110 §15.5.6: another method on a route's path is a 405 listing what it takes (§10.2.1).
                    routes.forEach(g -> r.any(g.path(), (req, res) -> {
                        res.header(HeaderNames.ALLOW, "GET");
                        fail(req, res, ids, count, errors, surfaces, ProtocolException.of(Reason.METHOD_NOT_ALLOWED,
                                "This address takes only GET.", req.prologue().method().text() + " " + g.path() + " on the management listener"));
                    }));
                    r.any("/*", (req, res) -> fail(req, res, ids, count, errors, surfaces, ProtocolException.of(Reason.NOT_FOUND,
                            "There is no such path here.", "management listener: no route for this path")));
                })
                .build()
                .start();
        if (!server.isRunning() || server.port() <= 0) {
            throw new IllegalStateException("cannot listen on management " + settings.host() + ":" + settings.port()
                    + " (is another process using the port? set management.port, or management.enabled: false)");
        }
        return new ManagementHttp(server);
    }

    private static void fail(ServerRequest req, ServerResponse res, Ids ids, Consumer<Reason> count, ErrorResponses errors,
            RouteSurfaces surfaces, ProtocolException e) {
        count.accept(e.reason());
        Exchange x = new Exchange(req, res, ids.id());
        errors.write(x, surfaces.of(x.rawPath(), Optional.empty()), null, e);
    }

    /** The canonical names the listener answers to whatever connection they come on. */
    private static Set<String> ownNames(ObserveSettings.Management settings) {
        Set<String> names = new HashSet<>(Set.of("localhost"));
        literal("::1").ifPresent(names::add);
        literal(settings.host()).ifPresent(names::add);
        settings.hosts().forEach(h -> literal(h).ifPresent(names::add));
        return Set.copyOf(names);
    }

    private static boolean servesHost(ServerRequest req, Set<String> names) {
        Optional<String> host = req.headers().first(HeaderNames.HOST).flatMap(Hosts::key);
        if (host.isEmpty()) {
            return false;
        }
        String h = host.get();
        if (names.contains(h) || ServerSettings.isIpv4Loopback(h)) {
            return true;
        }
        // The address this connection arrived on: an IP literal cannot be re-pointed by DNS.
        return req.localPeer().address() instanceof InetSocketAddress a && a.getAddress() != null
                && literal(a.getAddress().getHostAddress()).filter(h::equals).isPresent();
    }

    /** A host name or IP address in the canonical form of {@link Hosts#key} (IPv6 in brackets, no zone). */
    private static Optional<String> literal(String host) {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host.replaceFirst("%.*$", "") + "]" : host;
        return Hosts.canonicalHost(h);
    }

    private static void health(ServerResponse res, Health.Report report) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.status(report.status()).send(report.json().getBytes(StandardCharsets.UTF_8));
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
