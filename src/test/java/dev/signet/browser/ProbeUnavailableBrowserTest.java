package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
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
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17 leftover, as a person sees it in Chromium: an OIDC upstream whose discovery suddenly names
 * another issuer fails the probe at step {@code upstream_metadata}; every sign-in through it would
 * now fail, so the sign-in page shows it as unavailable (no button to it), with "Try again" and the
 * other connection; once the upstream is fixed and the probe green, "Try again" offers it again.
 */
class ProbeUnavailableBrowserTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static HttpServer upstream;
    static String base;
    static final AtomicReference<String> issuer = new AtomicReference<>();
    static TinyApp app;
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
        upstream.createContext("/.well-known/openid-configuration", ex -> send(ex, JSON.writeValueAsString(Map.of(
                "issuer", issuer.get(), "authorization_endpoint", base + "/authorize", "token_endpoint", base + "/token",
                "jwks_uri", base + "/jwks"))));
        upstream.createContext("/jwks", ex -> send(ex, jwks));
        upstream.createContext("/authorize", ex -> send(ex, "<html>sign in</html>"));
        upstream.start();
        app = TinyApp.start();
        signet = SignetHarness.start(SignetHarness.server() + """
                probes:
                  interval: 1s
                  timeout: 5s
                tenants:
                  - name: default
                    display_name: Acme
                    clients:
                      - id: tiny
                        name: Tiny App
                        secret: tiny-secret-0123456789
                        redirect_uris: ["http://127.0.0.1:${APP_PORT}/cb"]
                    connections:
                      - id: corp
                        kind: oidc
                        name: Corp SSO
                        issuer: ${UP}
                        client_id: signet
                        client_secret: upstream-secret-123
                        discovery: auto
                      - id: dev
                        kind: dev-unsafe
                        name: Dev Sign-in
                """, Map.of("APP_PORT", String.valueOf(app.port), "UP", base));
        app.client(signet.issuer(), "tiny", "tiny-secret-0123456789");
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
        app.close();
        upstream.stop(0);
    }

    @BeforeEach
    void open() {
        page = chromium.newPage();
    }

    @AfterEach
    void close() {
        issuer.set(base);
        page.context().close();
    }

    /** The latest probe of corp, from the management listener. */
    static JsonNode corp() {
        for (JsonNode r : JSON.readTree(new Browser().get(signet.management("/probes")).body())) {
            if (r.path("connection").asString("").equals("corp")) {
                return r;
            }
        }
        return JSON.createObjectNode();
    }

    @Test
    void chooserWhenUpstreamMetadataProbeFailsThenConnectionShownUnavailableUntilItRecovers() {
        String test = "probe-unavailable";
        Awaitility.await("corp probe green").atMost(Duration.ofSeconds(60)).until(() -> corp().path("ok").asBoolean(false));
        page.navigate(app.loginUrl().toString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Acme");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Continue with Corp SSO"))).isVisible();

        issuer.set(base + "/realms/renamed");
        Awaitility.await("corp probe failing at upstream_metadata").atMost(Duration.ofSeconds(60))
                .until(() -> corp().path("step").asString("").equals("upstream_metadata") && !corp().path("ok").asBoolean(true));
        page.navigate(app.loginUrl().toString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Acme");
        assertThat(page.locator("p.unavailable")).hasText(Pattern.compile("^Corp SSO is unavailable right now: .*Try again in a moment"));
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(Pattern.compile("^Continue with "))))
                .hasText(new String[] {"Continue with Dev Sign-in"});
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Try again"))).isVisible();
        Chromium.screenshot(page, test, "1-unavailable");

        issuer.set(base);
        Awaitility.await("corp probe green again").atMost(Duration.ofSeconds(60)).until(() -> corp().path("ok").asBoolean(false));
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Try again")).click();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Continue with Corp SSO"))).isVisible();
        assertThat(page.locator("p.unavailable")).hasCount(0);
        Chromium.screenshot(page, test, "2-recovered");
    }
}
