package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.sun.net.httpserver.HttpServer;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A browser application (a public client, PKCE) on its own origin signs a user in and calls Signet from script: its
 * page fetches the discovery document, redeems the code at {@code /token} and reads {@code /userinfo} with an
 * {@code Authorization} header (a CORS preflight first), as oidc-client-ts does. Only a browser enforces CORS: the
 * client's {@code web_origins} lets that origin's script read the answers; a page on an origin no client lists still
 * reads the public discovery document, but not the token or userinfo answers.
 */
class SpaCorsBrowserTest {

    static HttpServer spa;
    static HttpServer stranger;
    static URI spaOrigin;
    static URI strangerOrigin;
    static SignetHarness signet;
    static RelyingParty rp;
    static Chromium chromium;
    /** The PKCE verifier of each authorization the test started, by state (the application's own storage). */
    static final Map<String, String> verifiers = new ConcurrentHashMap<>();
    Page page;
    @RegisterExtension
    final Chromium.OnFailure shots = new Chromium.OnFailure(() -> page);

    /**
     * The application's callback page: its script reads code and state from its own URL, posts the code with the
     * verifier to the token endpoint, then asks userinfo with the access token, and shows what it got.
     */
    static String callbackPage(URI signetBase, String verifier) {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>SPA</title></head><body>
                <h1 id="status">working</h1><p id="email"></p><p id="discovery"></p>
                <script>
                (async () => {
                  const show = (id, text) => document.getElementById(id).textContent = text;
                  try {
                    const meta = await (await fetch('%1$s/.well-known/openid-configuration')).json();
                    show('discovery', meta.token_endpoint);
                    const q = new URLSearchParams(location.search);
                    const form = new URLSearchParams({grant_type: 'authorization_code', code: q.get('code'), client_id: 'spa',
                        redirect_uri: location.origin + '/cb', code_verifier: '%2$s'});
                    const t = await (await fetch(meta.token_endpoint, {method: 'POST', body: form})).json();
                    const u = await fetch(meta.userinfo_endpoint, {headers: {Authorization: 'Bearer ' + t.access_token}});
                    show('email', (await u.json()).email);
                    show('status', 'signed in');
                  } catch (e) {
                    show('status', 'blocked: ' + e.name);
                  }
                })();
                </script></body></html>
                """.formatted(signetBase, verifier);
    }

    /** A page on an origin no client lists: the discovery document is public, userinfo's answer is not for it. */
    static String strangerPage(URI signetBase) {
        return """
                <!doctype html><html><head><meta charset="utf-8"><title>Stranger</title></head><body>
                <p id="discovery">working</p><p id="userinfo">working</p>
                <script>
                const show = (id, text) => document.getElementById(id).textContent = text;
                fetch('%1$s/.well-known/openid-configuration').then(r => r.json()).then(m => show('discovery', 'read ' + m.issuer),
                    e => show('discovery', 'blocked'));
                fetch('%1$s/userinfo', {headers: {Authorization: 'Bearer x'}}).then(r => show('userinfo', 'read ' + r.status),
                    e => show('userinfo', 'blocked'));
                </script></body></html>
                """.formatted(signetBase);
    }

    static HttpServer serve(java.util.function.Function<URI, String> page) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", x -> {
            byte[] body = page.apply(x.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        s.start();
        return s;
    }

    @BeforeAll
    static void start() throws Exception {
        spa = serve(u -> {
            String state = dev.signet.harness.Browser.query(u).getOrDefault("state", "");
            return callbackPage(signet.issuer(), verifiers.getOrDefault(state, ""));
        });
        stranger = serve(u -> strangerPage(signet.issuer()));
        spaOrigin = URI.create("http://127.0.0.1:" + spa.getAddress().getPort());
        strangerOrigin = URI.create("http://127.0.0.1:" + stranger.getAddress().getPort());
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    display_name: SPA Tenant
                    clients:
                      - id: spa
                        name: Single-page App
                        public: true
                        redirect_uris: ["${SPA}/cb"]
                        web_origins: ["${SPA}"]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                        name: Dev Sign-in
                """, Map.of("SPA", spaOrigin.toString()));
        rp = new RelyingParty(signet, "spa", Optional.empty(), URI.create(spaOrigin + "/cb"));
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
        signet.close();
        spa.stop(0);
        stranger.stop(0);
    }

    @BeforeEach
    void open() {
        page = chromium.newPage();
    }

    @AfterEach
    void close() {
        page.context().close();
    }

    @Test
    void spaWhenItsOriginIsAWebOriginThenItsScriptRedeemsTheCodeAndReadsUserinfo() {
        RelyingParty.Authorization a = rp.authorize("openid email", Map.of());
        verifiers.put(a.state(), a.verifier());
        page.navigate(a.url().toString());
        page.getByText("Continue with Dev Sign-in").click();
        page.getByLabel("Name").fill("Sam Spa");
        page.getByLabel("Email").fill("sam@example.com");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        page.waitForURL(Pattern.compile("^" + Pattern.quote(spaOrigin + "/cb?") + ".*"));
        assertThat(page.locator("#status")).hasText("signed in");
        assertThat(page.locator("#email")).hasText("sam@example.com");
        assertThat(page.locator("#discovery")).hasText(signet.issuer() + "/token");
        Chromium.screenshot(page, "spa-cors", "1-signed-in");
    }

    @Test
    void pageWhenItsOriginIsNoClientsThenDiscoveryReadableButUserinfoBlocked() {
        page.navigate(strangerOrigin + "/");
        assertThat(page.locator("#discovery")).hasText("read " + signet.issuer());
        assertThat(page.locator("#userinfo")).hasText("blocked");
    }
}
