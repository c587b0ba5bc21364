package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.harness.Browser;
import dev.signet.harness.SignetHarness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15, drift on the operator's page: after an upstream renames its issuer, the management
 * listener's status page shows, in Chromium, the connection's last drift with the config line to
 * change, next to the failing probe.
 */
class DriftStatusBrowserTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static HttpServer upstream;
    static String base;
    static final AtomicReference<String> issuer = new AtomicReference<>();
    static SignetHarness signet;
    static Chromium chromium;
    Page page;
    @RegisterExtension
    final Chromium.OnFailure shots = new Chromium.OnFailure(() -> page);

    @BeforeAll
    static void start() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        base = "http://127.0.0.1:" + upstream.getAddress().getPort();
        issuer.set(base);
        String jwks = new JWKSet(new RSAKeyGenerator(2048).keyID("k1").generate().toPublicJWK()).toString();
        upstream.createContext("/.well-known/openid-configuration", ex -> send(ex, JSON.writeValueAsString(Map.of("issuer", issuer.get(),
                "authorization_endpoint", base + "/authorize", "token_endpoint", base + "/token", "jwks_uri", base + "/jwks"))));
        upstream.createContext("/jwks", ex -> send(ex, jwks));
        upstream.createContext("/authorize", ex -> send(ex, "<html>sign in</html>"));
        upstream.start();
        signet = SignetHarness.start(SignetHarness.server() + """
                probes:
                  interval: 1s
                  timeout: 5s
                tenants:
                  - name: default
                    connections:
                      - {id: corp, kind: oidc, issuer: "${UP}", client_id: signet, client_secret: upstream-secret-123, discovery: auto}
                """, Map.of("UP", base));
        chromium = Chromium.launch();
    }

    static void send(HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", body.startsWith("<") ? "text/html" : "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterAll
    static void stop() {
        chromium.close();
        signet.close();
        upstream.stop(0);
    }

    @BeforeEach
    void open() {
        page = chromium.newPage();
    }

    @AfterEach
    void close() {
        page.context().close();
    }

    static long runs() {
        for (var r : JSON.readTree(new Browser().get(signet.management("/probes")).body())) {
            return r.path("runs").asLong();
        }
        return 0;
    }

    @Test
    void upstreamRenamesItsIssuerThenTheStatusPageShowsTheDriftAndTheConfigLine() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (runs() < 2 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the baseline: poll with a deadline
        }
        issuer.set(base + "/v2");
        while (!new Browser().get(signet.management("/probes")).body().contains("last_drift") && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // the watcher's alert: poll with a deadline
        }
        page.navigate(signet.management("/status").toString());
        Locator drift = page.locator("td.drift");
        assertThat(page.locator("th", new Page.LocatorOptions().setHasText("last drift"))).isVisible();
        assertThat(drift.first()).containsText("issuer: " + base + " → " + base + "/v2; set connections[corp].issuer: " + base + "/v2");
        assertThat(page.locator("td.failing").first()).hasText("failing");
        Chromium.screenshot(page, "DriftStatusBrowserTest", "status");
    }
}
