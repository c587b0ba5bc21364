package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every cookie Signet sets on an https domain is {@code Secure} and prefixed (issue 11, defect 10):
 * {@code __Host-} with {@code Path=/} on a domain of its own, {@code __Secure-} with the prefix path
 * behind a reverse proxy that serves Signet under a path; only the prefixed name is read back. The
 * test plays the TLS-terminating proxy: it calls Signet's plain-http listener from a trusted peer
 * with {@code X-Forwarded-Host/Proto/Prefix}, as a proxy in front of {@code https://…} would.
 */
class SecureCookiesTest {

    static SignetHarness signet;
    static int port;
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(SignetHarness.server().replace("host: 127.0.0.1", "host: 127.0.0.1\n  trusted_proxies: [127.0.0.1/32]")
                + """
                tenants:
                  - name: default
                    connections: [{id: dev, kind: dev-unsafe}]
                  - name: secure
                    issuer: https://login.secure.test
                    custom_domains: [https://proxied.test/auth]
                    demo_client: true
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """);
        port = signet.issuer().getPort();
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    /** The proxy: a public URL on one of the https domains, sent to Signet's listener with the forwarded headers. */
    static HttpResponse<String> viaProxy(URI publicUrl, Optional<String> cookie, Optional<String> form) {
        String url = publicUrl.toString();
        String issuer = url.startsWith("https://proxied.test/auth/") ? "https://proxied.test/auth" : "https://login.secure.test";
        assertThat(url).startsWith(issuer + "/");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + url.substring(issuer.length())))
                .header("X-Forwarded-Host", URI.create(issuer).getHost())
                .header("X-Forwarded-Proto", "https");
        if (issuer.endsWith("/auth")) {
            b.header("X-Forwarded-Prefix", "/auth");
        }
        cookie.ifPresent(c -> b.header("Cookie", c));
        form.ifPresentOrElse(f -> b.header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(f)),
                b::GET);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String cookiePair(HttpResponse<String> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .map(c -> c.split(";", 2)[0])
                .orElseThrow(() -> new AssertionError("no Set-Cookie " + name + " in " + r.headers().allValues("Set-Cookie")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "https://login.secure.test,  __Host-,   /,     /,              /",
        "https://proxied.test/auth,  __Secure-, /auth, /auth/callback, /auth/demo"})
    void signInWhenDomainIsHttpsThenEveryCookiePrefixedSecureAndOnlyThePrefixedNameRead(String issuer, String prefix, String rootPath,
            String callbackPath, String demoPath) {
        List<String> setCookies = new ArrayList<>();
        RelyingParty app = new RelyingParty(URI.create(issuer), "app", Optional.of("app-secret-0123456789"),
                URI.create("http://localhost:9/cb"));

        HttpResponse<String> page = viaProxy(app.authorize("openid", Map.of()).url(), Optional.empty(), Optional.empty());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        setCookies.addAll(page.headers().allValues("Set-Cookie"));
        assertThat(cookiePair(page, prefix + "signet_trace")).isNotEmpty();

        HttpResponse<String> signIn = viaProxy(Browser.link(page.body(), "/signin/dev?"), Optional.empty(), Optional.empty());
        setCookies.addAll(signIn.headers().allValues("Set-Cookie"));
        String state = cookiePair(signIn, prefix + "signet_upstream_state");
        URI upstream = Browser.location(signIn);
        Map<String, String> q = Browser.query(upstream);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("state", q.get("state"));
        form.put("nonce", q.get("nonce"));
        form.put("redirect_uri", q.get("redirect_uri"));
        form.put("name", "Secure Person");
        form.put("email", "secure@example.com");
        URI upstreamForm = URI.create(upstream.getScheme() + "://" + upstream.getRawAuthority() + upstream.getRawPath());
        URI callback = Browser.location(viaProxy(upstreamForm, Optional.empty(), Optional.of(Browser.form(form))));
        assertThat(callback.toString()).startsWith(issuer + "/callback/dev?");

        // the same value under the plain name is not this domain's cookie (a planted cookie would carry it)
        HttpResponse<String> plain = viaProxy(callback, Optional.of(state.substring(prefix.length())), Optional.empty());
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).contains("upstream.state_mismatch");

        HttpResponse<String> done = viaProxy(callback, Optional.of(state), Optional.empty());
        assertThat(Browser.query(Browser.location(done))).containsKey("code"); // straight back to the application (issue 16)
        setCookies.addAll(done.headers().allValues("Set-Cookie"));
        assertThat(cookiePair(done, prefix + "signet_session")).isNotEmpty();

        HttpResponse<String> demo = viaProxy(URI.create(issuer + "/demo"), Optional.empty(), Optional.empty());
        assertThat(demo.statusCode()).isEqualTo(302);
        setCookies.addAll(demo.headers().allValues("Set-Cookie"));
        assertThat(cookiePair(demo, prefix + "signet_demo")).isNotEmpty();

        assertThat(setCookies).hasSizeGreaterThanOrEqualTo(5).allSatisfy(c -> {
            assertThat(c).startsWith(prefix).contains("; Secure").contains("; HttpOnly").doesNotContainIgnoringCase("domain=");
            String name = c.substring(0, c.indexOf('='));
            String path = c.replaceAll(".*; Path=([^;]*).*", "$1");
            String expected = name.endsWith("signet_upstream_state") ? callbackPath : name.endsWith("signet_demo") ? demoPath : rootPath;
            assertThat(path).as(c).isEqualTo(expected);
        });
    }
}
