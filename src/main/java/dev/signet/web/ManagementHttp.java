package dev.signet.web;

import dev.signet.config.ObserveSettings;
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
 */
public final class ManagementHttp implements AutoCloseable {

    /** What the listener serves, as functions, so this class knows nothing of how it is computed. */
    public record Endpoints(Supplier<String> metrics, Health health, Supplier<String> probesJson, Supplier<String> statusHtml) {}

    private final WebServer server;

    private ManagementHttp(WebServer server) {
        this.server = server;
    }

    public static ManagementHttp start(ObserveSettings.Management settings, Endpoints e) {
        WebServer server = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                .shutdownHook(false)
                .shutdownGracePeriod(Duration.ofSeconds(2))
                .routing(r -> r
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
