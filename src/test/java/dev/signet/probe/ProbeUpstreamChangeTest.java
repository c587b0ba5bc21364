package dev.signet.probe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.signet.harness.Browser;
import dev.signet.harness.LogCapture;
import dev.signet.harness.SignetHarness;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17 item 1: an upstream whose issuer changes while Signet holds its discovery document.
 * The probe refetches the metadata on every run (5 s interval here, as in the issue), so within one
 * interval it fails at step {@code upstream_metadata} with the reason users would get
 * ({@code upstream.issuer_mismatch}): on the probe status endpoint, as a metric and as a WARN line.
 * The sign-in page then shows the connection as unavailable (with a retry) instead of sending users
 * there, and the connector forgets its cached document, so a user who goes to it anyway fails at the
 * start (before typing a password at the upstream) instead of after it.
 */
class ProbeUpstreamChangeTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Duration INTERVAL = Duration.ofSeconds(5);
    static SignetHarness signet;
    static HttpServer upstream;
    static LogCapture log;
    static String base;
    static final AtomicReference<String> issuer = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + upstream.getAddress().getPort();
        issuer.set(base);
        String jwks = new JWKSet(new RSAKeyGenerator(2048).keyID("k1").generate().toPublicJWK()).toString();
        upstream.createContext("/.well-known/openid-configuration", ex -> send(ex, 200, JSON.writeValueAsString(Map.of(
                "issuer", issuer.get(), "authorization_endpoint", base + "/authorize", "token_endpoint", base + "/token",
                "jwks_uri", base + "/jwks"))));
        upstream.createContext("/jwks", ex -> send(ex, 200, jwks));
        upstream.createContext("/authorize", ex -> send(ex, 200, "<html>sign in</html>"));
        upstream.start();
        log = LogCapture.forLogger(ProbeRunner.class);
        signet = SignetHarness.start(SignetHarness.server() + """
                probes:
                  interval: 5s
                  timeout: 5s
                tenants:
                  - name: default
                    issuer: http://localhost:${PORT}
                    demo_client: true
                    connections:
                      - id: corp
                        kind: oidc
                        issuer: ${UP}
                        client_id: signet
                        client_secret: upstream-secret-123
                        discovery: auto
                """, Map.of("UP", base));
    }

    static void send(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", body.startsWith("<") ? "text/html" : "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.stop(0);
        log.close();
    }

    static JsonNode corp() {
        for (JsonNode r : JSON.readTree(new Browser().get(signet.management("/probes")).body())) {
            if (r.path("connection").asString("").equals("corp")) {
                return r;
            }
        }
        return JSON.createObjectNode();
    }

    static void await(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; probe: " + corp());
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll with a deadline
        }
    }

    /** A user's sign-in at corp, started from the demo app: the answer of GET /signin/corp. */
    static HttpResponse<String> userSignIn() {
        Browser b = new Browser();
        return b.get(URI.create("http://localhost:" + signet.issuer().getPort()).resolve(Browser.link(chooser(b), "/signin/corp")));
    }

    /** The sign-in page a user reaches from the demo app. */
    static String chooser(Browser b) {
        return b.get(Browser.location(b.get(URI.create("http://localhost:" + signet.issuer().getPort() + "/demo")))).body();
    }

    /**
     * A user who goes to /signin/corp anyway (a bookmark, a link the chooser gave before the change):
     * the chooser's own retry link names the waiting request; the connection's path replaces it.
     */
    static HttpResponse<String> directSignIn() {
        Browser b = new Browser();
        URI retry = Browser.link(chooser(b), "/authorize/resume");
        return b.get(URI.create("http://localhost:" + signet.issuer().getPort())
                .resolve(retry.toString().replace("/authorize/resume", "/signin/corp")));
    }

    @Test
    void upstreamIssuerChangesThenProbeFailsWithinOneIntervalWithTheUsersReasonAndTheCacheIsDropped() {
        await("corp green", Duration.ofSeconds(60), () -> corp().path("ok").asBoolean(false));
        assertThat(corp().path("detail").asString()).contains("issuer " + base).contains("1 signing key(s)");
        assertThat(userSignIn().statusCode()).as("sign-in goes to the upstream (its discovery now cached)").isEqualTo(302);
        long runsBefore = corp().path("runs").asLong();

        long changed = System.nanoTime();
        issuer.set(base + "/realms/renamed");
        await("corp failing", INTERVAL.multipliedBy(4), () -> !corp().path("ok").asBoolean(true));
        long tookMs = (System.nanoTime() - changed) / 1_000_000;
        System.out.println("issue 17 item 1: the probe saw the issuer change after " + tookMs + " ms (interval " + INTERVAL.toMillis() + " ms)");

        JsonNode failing = corp();
        assertThat(failing.path("step").asString()).isEqualTo("upstream_metadata");
        assertThat(failing.path("reason").asString()).isEqualTo("upstream.issuer_mismatch");
        assertThat(failing.path("detail").asString()).contains("received '" + base + "/realms/renamed'");
        assertThat(failing.path("runs").asLong()).as("the first run after the change failed").isLessThanOrEqualTo(runsBefore + 2);
        assertThat(tookMs).as("within one interval plus the run itself").isLessThan(INTERVAL.toMillis() + 5_000);

        String metrics = new Browser().get(signet.management("/metrics")).body();
        assertThat(metrics).contains("signet_probe_up{connection=\"corp\",domain=\"localhost\",tenant=\"default\"} 0.0")
                .containsPattern("signet_probe_runs_total\\{connection=\"corp\",domain=\"localhost\",result=\"failed\","
                        + "step=\"upstream_metadata\",tenant=\"default\"} [1-9]");
        ILoggingEvent warn = log.events().stream().filter(e -> e.getFormattedMessage().startsWith("probe failed")).findFirst().orElseThrow();
        assertThat(LogCapture.field(warn, "reason")).contains("upstream.issuer_mismatch");
        assertThat(LogCapture.field(warn, "step")).contains("upstream_metadata");

        // The sign-in page no longer sends users there: corp is shown unavailable, with a retry.
        assertThat(chooser(new Browser())).contains("corp is unavailable right now").contains("id=\"retry\"")
                .doesNotContain("/signin/corp?");
        // The cached document was dropped: a user who goes there anyway fails at the start, before the upstream's login form.
        HttpResponse<String> user = directSignIn();
        assertThat(user.statusCode()).isEqualTo(502);
        assertThat(user.body()).contains("upstream.issuer_mismatch");

        issuer.set(base);
        await("corp green again", INTERVAL.multipliedBy(4), () -> corp().path("ok").asBoolean(false));
        assertThat(userSignIn().statusCode()).isEqualTo(302);
    }
}
