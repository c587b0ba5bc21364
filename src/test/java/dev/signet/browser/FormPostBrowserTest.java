package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.nimbusds.jwt.JWTParser;
import com.sun.net.httpserver.HttpServer;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * OAuth 2.0 Form Post Response Mode (§2, §5): with {@code response_mode=form_post} the authorization response, a
 * code or an error, reaches the application as a POST of a form to its redirect URI, on another origin, sent by
 * Signet's page in a real browser. Only a browser shows that the page's script runs under its CSP (a hash-source)
 * and that {@code form-action} lets the form leave for the application's origin.
 */
class FormPostBrowserTest {

    static final String SECRET = "app-secret-0123456789";

    /** What the application's redirect URI received: the method, the query string, the body. */
    record Received(String method, String query, Map<String, String> form) {}

    static final List<Received> received = new CopyOnWriteArrayList<>();
    static HttpServer app;
    static URI callback;
    static SignetHarness signet;
    static RelyingParty rp;
    static Chromium chromium;
    Page page;
    final List<String> console = new CopyOnWriteArrayList<>();
    @RegisterExtension
    final Chromium.OnFailure shots = new Chromium.OnFailure(() -> page);

    @BeforeAll
    static void start() throws Exception {
        app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        app.createContext("/cb", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(x.getRequestMethod(), x.getRequestURI().getRawQuery() == null ? "" : x.getRequestURI().getRawQuery(),
                    Browser.query(URI.create("http://x/?" + body))));
            byte[] page = "<!doctype html><title>App</title><h1>Application received the response</h1>".getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            x.sendResponseHeaders(200, page.length);
            x.getResponseBody().write(page);
            x.close();
        });
        app.start();
        callback = URI.create("http://127.0.0.1:" + app.getAddress().getPort() + "/cb");
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    display_name: Form Post Tenant
                    clients:
                      - id: app
                        name: Posting App
                        secret: app-secret-0123456789
                        redirect_uris: ["${CB}"]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                        name: Dev Sign-in
                """, Map.of("CB", callback.toString()));
        rp = new RelyingParty(signet, "app", Optional.of(SECRET), callback);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
        signet.close();
        app.stop(0);
    }

    @BeforeEach
    void open() {
        page = chromium.newPage();
        page.onConsoleMessage(m -> console.add(m.text()));
    }

    @AfterEach
    void close() {
        page.context().close();
    }

    /** Awaits the application's next POST and checks it is a form post with nothing in the query. */
    static Map<String, String> nextPost(int before) {
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() > before);
        Received r = received.get(before);
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.query()).as("nothing of the response in the query").isEmpty();
        return r.form();
    }

    @Test
    void signInWhenFormPostAskedThenCodePostedToTheAppAndRedeemable() {
        String test = "form-post";
        RelyingParty.Authorization a = rp.authorize("openid email", Map.of("response_mode", "form_post"));
        int before = received.size();
        page.navigate(a.url().toString());
        page.getByText("Continue with Dev Sign-in").click();
        page.getByLabel("Name").fill("Fran Post");
        page.getByLabel("Email").fill("fran@example.com");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        page.waitForURL(Pattern.compile("^" + Pattern.quote(callback.toString()) + "$"));
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Application received the response");
        Chromium.screenshot(page, test, "1-app");
        Map<String, String> form = nextPost(before);
        assertThat(form).containsEntry("state", a.state()).containsEntry("iss", signet.issuer().toString()).containsKey("code");
        HttpResponse<String> t = rp.exchange(form.get("code"), a.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        assertThat(RelyingParty.json(t).path("id_token").asString()).satisfies(id ->
                assertThat(JWTParser.parse(id).getJWTClaimsSet().getStringClaim("email")).isEqualTo("fran@example.com"));

        // Signed in at Signet already: /authorize answers the posting page itself
        RelyingParty.Authorization again = rp.authorize("openid", Map.of("response_mode", "form_post"));
        int second = received.size();
        page.navigate(again.url().toString());
        page.waitForURL(Pattern.compile("^" + Pattern.quote(callback.toString()) + "$"));
        Map<String, String> form2 = nextPost(second);
        assertThat(form2).containsEntry("state", again.state()).containsKey("code");
        assertThat(rp.exchange(form2.get("code"), again.verifier()).statusCode()).isEqualTo(200);
        assertThat(console).as("no CSP violation on the way").noneMatch(m -> m.contains("Content Security Policy"));
    }

    @Test
    void promptNoneWhenNotSignedInAndFormPostThenErrorPostedToTheApp() {
        RelyingParty.Authorization a = rp.authorize("openid", Map.of("response_mode", "form_post", "prompt", "none"));
        int before = received.size();
        page.navigate(a.url().toString());

        page.waitForURL(Pattern.compile("^" + Pattern.quote(callback.toString()) + "$"));
        Map<String, String> form = nextPost(before);
        assertThat(form).containsEntry("error", "login_required").containsEntry("state", a.state())
                .containsEntry("iss", signet.issuer().toString()).doesNotContainKey("code");
        assertThat(console).as("no CSP violation").noneMatch(m -> m.contains("Content Security Policy"));
    }
}
