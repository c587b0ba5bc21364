package dev.signet.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.signet.cli.Cli;
import dev.signet.event.WebhookSignature;
import dev.signet.harness.Browser;
import dev.signet.harness.SignetHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Postmortem 002 as a test: the built-in probes walk every connection on every domain every
 * second; when one upstream's authorization endpoint starts answering 404, that connection's probe
 * fails at step {@code upstream} with {@code probe.unexpected_status}, the dev connections (a full
 * sign-in down to the ID token) stay green, also on the other tenant's domain, and the alert
 * webhook gets exactly one signed alert, not one per run; recovery alerts once more.
 */
class ProbeTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ALERT_SECRET = "alert-secret-0123456789";
    static SignetHarness signet;
    static HttpServer upstream;
    static HttpServer alerts;
    static final AtomicInteger authorizeStatus = new AtomicInteger(200);
    static final List<String[]> received = new CopyOnWriteArrayList<>(); // {signature, body}

    @BeforeAll
    static void start() throws Exception {
        received.clear(); // state of an earlier run of this class in the same JVM (PIT)
        authorizeStatus.set(200);
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/authorize", ex -> {
            byte[] page = "<html>sign in</html>".getBytes(StandardCharsets.UTF_8);
            int status = authorizeStatus.get();
            ex.sendResponseHeaders(status, status == 200 ? page.length : -1);
            if (status == 200) {
                ex.getResponseBody().write(page);
            }
            ex.close();
        });
        String jwks = new com.nimbusds.jose.jwk.JWKSet(new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).generate().toPublicJWK())
                .toString();
        upstream.createContext("/jwks", ex -> { // refetched by every probe run (issue 17)
            byte[] b = jwks.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        upstream.start();
        alerts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        alerts.createContext("/alerts", ex -> {
            received.add(new String[] {ex.getRequestHeaders().getFirst(WebhookSignature.HEADER),
                    new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        alerts.start();
        String up = "http://127.0.0.1:" + upstream.getAddress().getPort();
        signet = SignetHarness.start(SignetHarness.server() + """
                probes:
                  interval: 1s
                  timeout: 5s
                  alert_webhook: ${ALERTS}
                  alert_secret: ${ALERT_SECRET}
                tenants:
                  - name: second
                    issuer: http://127.0.0.1:${PORT}
                    connections:
                      - id: dev
                        kind: dev-unsafe
                  - name: default
                    issuer: http://localhost:${PORT}
                    demo_client: true
                    connections:
                      - id: dev
                        kind: dev-unsafe
                      - id: corp
                        kind: oidc
                        issuer: ${UP}
                        client_id: signet
                        client_secret: upstream-secret-123
                        discovery: manual
                        authorization_endpoint: ${UP}/authorize
                        token_endpoint: ${UP}/token
                        jwks_uri: ${UP}/jwks
                        iss_parameter_supported: false
                """, Map.of("UP", up, "ALERTS", "http://127.0.0.1:" + alerts.getAddress().getPort() + "/alerts",
                "ALERT_SECRET", ALERT_SECRET));
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.stop(0);
        alerts.stop(0);
    }

    static JsonNode status() {
        return JSON.readTree(new Browser().get(signet.management("/probes")).body());
    }

    static JsonNode row(JsonNode all, String domain, String connection) {
        for (JsonNode r : all) {
            if (r.path("domain").asString("").equals(domain) && r.path("connection").asString("").equals(connection)) {
                return r;
            }
        }
        return JSON.createObjectNode();
    }

    /** The default tenant's sign-in page, reached through its demo app (which asks with prompt=login). */
    static String chooser() {
        Browser b = new Browser();
        return b.get(Browser.location(b.get(java.net.URI.create("http://localhost:" + signet.issuer().getPort() + "/demo")))).body();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; probes: " + status());
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll with a deadline
        }
    }

    @Test
    void probesWhenUpstreamStartsAnswering404ThenFailureWithStepAndReasonOneAlertAndOthersGreen() throws Exception {
        await("every connection on every domain green", () -> {
            JsonNode s = status();
            return s.size() == 3 && row(s, "localhost", "dev").path("ok").asBoolean(false)
                    && row(s, "localhost", "corp").path("ok").asBoolean(false) && row(s, "127.0.0.1", "dev").path("ok").asBoolean(false);
        });
        JsonNode green = status();
        assertThat(row(green, "127.0.0.1", "dev").path("detail").asString()).contains("verified the ID token");
        assertThat(row(green, "127.0.0.1", "dev").path("tenant").asString()).isEqualTo("second");
        assertThat(row(green, "localhost", "corp").path("step").asString()).isEqualTo("upstream");
        assertThat(received).as("no alert while everything is green from the start").isEmpty();

        authorizeStatus.set(404);
        await("corp failing", () -> !row(status(), "localhost", "corp").path("ok").asBoolean(true));
        JsonNode failing = status();
        JsonNode corp = row(failing, "localhost", "corp");
        assertThat(corp.path("step").asString()).isEqualTo("upstream");
        assertThat(corp.path("reason").asString()).isEqualTo("probe.unexpected_status");
        assertThat(corp.path("detail").asString()).contains("404");
        long runsAtFailure = corp.path("runs").asLong();
        // Several more failing runs: still one alert; the dev connections stay green meanwhile.
        await("three more runs", () -> row(status(), "localhost", "corp").path("failures").asLong() >= 3
                && row(status(), "localhost", "corp").path("runs").asLong() >= runsAtFailure + 2);
        JsonNode later = status();
        assertThat(row(later, "localhost", "dev").path("ok").asBoolean(false)).isTrue();
        assertThat(row(later, "127.0.0.1", "dev").path("ok").asBoolean(false)).as("the other domain stays green").isTrue();
        await("the alert to arrive", () -> !received.isEmpty());
        assertThat(received).hasSize(1);
        String[] alert = received.getFirst();
        assertThat(WebhookSignature.verify(ALERT_SECRET, alert[0], alert[1])).as("signed: " + alert[1]).isTrue();
        assertThat(WebhookSignature.verify("another-secret-0123456789", alert[0], alert[1])).isFalse();
        JsonNode a = JSON.readTree(alert[1]);
        assertThat(a.path("type").asString()).isEqualTo("probe.failed");
        assertThat(a.path("tenant").asString()).isEqualTo("default");
        assertThat(a.path("domain").asString()).isEqualTo("localhost");
        assertThat(a.path("connection").asString()).isEqualTo("corp");
        assertThat(a.path("step").asString()).isEqualTo("upstream");
        assertThat(a.path("reason").asString()).isEqualTo("probe.unexpected_status");
        assertThat(a.path("previous").asString()).isEqualTo("ok");

        // Metrics, the CLI and the status page say the same.
        String metrics = new Browser().get(signet.management("/metrics")).body();
        assertThat(metrics).contains("signet_probe_up{connection=\"corp\",domain=\"localhost\",tenant=\"default\"} 0.0")
                .contains("signet_probe_up{connection=\"dev\",domain=\"127.0.0.1\",tenant=\"second\"} 1.0")
                .containsPattern("signet_probe_runs_total\\{connection=\"corp\",domain=\"localhost\",result=\"failed\",step=\"upstream\","
                        + "tenant=\"default\"} [1-9]");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Cli.run(new String[] {"probes", "--url", signet.management("").toString()}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("FAILING").contains("probe.unexpected_status").contains("corp");
        assertThat(new Browser().get(signet.management("/status")).body()).contains("failing").contains("probe.unexpected_status");

        // The sign-in page stops sending browsers to the upstream that does not answer, and offers a retry.
        assertThat(chooser()).contains("corp is unavailable right now").contains("id=\"retry\"").doesNotContain("/signin/corp?")
                .contains("/signin/dev?");

        // Recovery: one more alert (probe.recovered).
        authorizeStatus.set(200);
        await("corp green again", () -> row(status(), "localhost", "corp").path("ok").asBoolean(false));
        assertThat(chooser()).contains("/signin/corp?").doesNotContain("unavailable right now");
        await("the recovery alert", () -> received.size() >= 2);
        assertThat(JSON.readTree(received.get(1)[1]).path("type").asString()).isEqualTo("probe.recovered");
        assertThat(received).hasSize(2);
    }
}
