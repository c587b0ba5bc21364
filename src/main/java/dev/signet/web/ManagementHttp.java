package dev.signet.web;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.config.ObserveSettings;
import dev.signet.config.ServerSettings;
import dev.signet.tenant.Hosts;
import dev.signet.web.pages.Pages;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import dev.signet.observe.Health;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 */
public final class ManagementHttp implements AutoCloseable {

    /** What the listener serves, as functions, so this class knows nothing of how it is computed. */
    public record Endpoints(Supplier<String> metrics, Health health, Supplier<String> probesJson, Supplier<String> statusHtml) {}

    private final WebServer server;

    private ManagementHttp(WebServer server) {
        this.server = server;
    }

    public static ManagementHttp start(ObserveSettings.Management settings, Endpoints e, Ids ids) {
        ErrorResponses errors = new ErrorResponses(new Pages(), new RouteSurfaces(java.util.List.of()));
        Set<String> names = ownNames(settings);
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofSeconds(2))
                .routing(r -> r
                        .addFilter((chain, req, res) -> {
                            if (servesHost(req, names)) {
                                chain.proceed();
                                return;
                            }
                            Exchange x = new Exchange(req, res, ids.id());
                            errors.write(x, Surface.MANAGEMENT, null, ProtocolException.of(Reason.UNKNOWN_HOST,
                                    "This address is not served here.", "management listener: Host is none of its names"));
                        })
                        .get("/metrics", (req, res) -> {
                            res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                            res.send(e.metrics().get().getBytes(StandardCharsets.UTF_8));
                        })
                        .get("/health/live", (req, res) -> health(res, e.health().live()))
                        .get("/health/ready", (req, res) -> health(res, e.health().ready()))
                        .get("/probes", (req, res) -> {
                            res.header(HeaderNames.CONTENT_TYPE, "application/json");
                            res.header(HeaderNames.CACHE_CONTROL, "no-store");
                            res.send(e.probesJson().get().getBytes(StandardCharsets.UTF_8));
                        })
                        .get("/status", (req, res) -> {
                            res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
                            res.header(HeaderNames.CACHE_CONTROL, "no-store");
                            res.send(e.statusHtml().get().getBytes(StandardCharsets.UTF_8));
                        }))
                .build()
                .start();
        if (!server.isRunning() || server.port() <= 0) {
            throw new IllegalStateException("cannot listen on management " + settings.host() + ":" + settings.port()
                    + " (is another process using the port? set management.port, or management.enabled: false)");
        }
        return new ManagementHttp(server);
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

    private static void health(io.helidon.webserver.http.ServerResponse res, Health.Report report) {
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
