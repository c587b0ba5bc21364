package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.LogCapture;
import dev.signet.harness.RawHttp;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a client (or an attacker) can send that Signet must refuse as the client's error, without
 * a 5xx or a stack trace, and the limits that keep attacker input from mattering (issue 11):
 * malformed percent-encoding anywhere, numeric parameters out of range ({@code max_age}), the
 * management listener under a foreign {@code Host}, text from a URL on the sign-in page, and the
 * clock skew for Signet's own access tokens. Cookies on https domains: {@link SecureCookiesTest}.
 */
class BadInputTest {

    static final String APP_SECRET = "app-secret-0123456789";
    static final URI APP_CB = URI.create("http://localhost:9/cb");

    static SignetHarness signet;
    static LogCapture logs;
    static int port;

    @BeforeAll
    static void start() {
        logs = LogCapture.everything();
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                        access_token_ttl: 60s
                    connections:
                      - id: dev
                        kind: dev-unsafe
                        email_domains: [corp.example]
                management:
                  port: 0
                  hosts: [metrics.internal, "[fd00::9]"]
                """);
        port = signet.issuer().getPort();
    }

    @AfterAll
    static void stop() {
        signet.close();
        logs.close();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of(APP_SECRET), APP_CB);
    }

    static RawHttp.Response send(String method, String target, Map<String, String> extraHeaders, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "localhost:" + port);
        if (!body.isEmpty()) {
            h.put("Content-Type", "application/x-www-form-urlencoded");
        }
        h.putAll(extraHeaders);
        return RawHttp.send(port, method, target, h, body);
    }

    static tools.jackson.databind.JsonNode json(String body) {
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
    }

    static String correlationId(RawHttp.Response r) {
        return r.head().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT).startsWith("x-request-id:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()
                .orElseThrow(() -> new AssertionError("no X-Request-Id in " + r.head()));
    }

    /** The request's log lines: exactly one, a WARN with {@code reason}, no stack trace; and no ERROR anywhere. */
    static void assertOneWarnWithoutStackTrace(RawHttp.Response r, String reason) {
        List<ILoggingEvent> lines = logs.of(correlationId(r));
        assertThat(lines).as("log lines of the request").hasSize(1);
        ILoggingEvent line = lines.getFirst();
        assertThat(line.getLevel()).isEqualTo(Level.WARN);
        assertThat(line.getThrowableProxy()).as("stack trace").isNull();
        assertThat(LogCapture.field(line, "reason")).contains(reason);
        assertNoProblemLogged();
    }

    /** No ERROR and no stack trace from request handling (Signet's HTTP layer or Helidon), whatever request. */
    static void assertNoProblemLogged() {
        assertThat(logs.problems()).filteredOn(e -> e.getLoggerName().startsWith("dev.signet.web") || e.getLoggerName().startsWith("io.helidon")
                || e.getMDCPropertyMap().containsKey(dev.signet.observe.RequestContext.CORRELATION_ID))
                .as("ERROR lines or stack traces").extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    // ---- defect 2: malformed percent-encoding is the client's error

    @ParameterizedTest
    @ValueSource(strings = {"grant_type=authorization_code&code=%zz", "grant_type=refresh_token&refresh_token=%E0%A4%A",
            "%=x&grant_type=client_credentials", "grant_type=client_credentials&client_id=%"})
    void tokenWhenFormBodyMalformedThen400InvalidRequestAndOneWarn(String body) {
        RawHttp.Response r = send("POST", "/token", Map.of(), body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(json(r.body()).path("error").asString()).isEqualTo("invalid_request");
        assertOneWarnWithoutStackTrace(r, "request.malformed");
    }

    @Test
    void browserFormsWhenBodyMalformedThenErrorPage400AndOneWarn() {
        for (String[] c : new String[][] {{"/authorize", "client_id=%"}, {"/authorize", "client_id=app&scope=%7"},
                {"/dev-upstream/dev", "email=%G1"}, {"/signin", "pending=x&email=%G1"}}) {
            RawHttp.Response r = send("POST", c[0], Map.of("Sec-Fetch-Site", "same-origin"), c[1]);
            assertThat(r.status()).as(c[0] + " " + c[1] + ": " + r.body()).isEqualTo(400);
            assertThat(r.head()).containsIgnoringCase("Content-Type: text/html");
            assertThat(r.body()).contains("request.malformed").contains(correlationId(r));
            assertOneWarnWithoutStackTrace(r, "request.malformed");
        }
    }

    @Test
    void anyRouteWhenRequestLineMalformedThen400WithReasonCodeAndOneWarn() {
        // Helidon refuses these before routing; the answer still comes from the error model.
        double before = malformedCount();
        for (String target : new String[] {"/authorize?client_id=%zz", "/authorize?client_id=app&%=1", "/authorize/resume?pending=%",
                "/callback/dev?state=%zz&code=1", "/signin/%zz?pending=x", "/%zz"}) {
            RawHttp.Response r = send("GET", target, Map.of(), "");
            assertThat(r.status()).as(target).isEqualTo(400);
            assertThat(r.body()).as(target).contains("request.malformed").contains(correlationId(r));
            assertOneWarnWithoutStackTrace(r, "request.malformed");
        }
        assertThat(malformedCount() - before).as("signet_errors_total{reason=request.malformed} counts them").isEqualTo(6);
        // JSON wherever the route's surface is not a page (taken from the mounted routes, not a list)
        for (String[] api : new String[][] {{"GET", "/userinfo?x=%zz"}, {"POST", "/token?x=%zz"}, {"POST", "/introspect?x=%zz"},
                {"POST", "/revoke?x=%zz"}, {"POST", "/device_authorization?x=%zz"}}) {
            RawHttp.Response r = send(api[0], api[1], Map.of(), "");
            assertThat(r.status()).as(api[1]).isEqualTo(400);
            assertThat(json(r.body()).path("error").asString()).as(api[1]).isEqualTo("invalid_request");
            assertOneWarnWithoutStackTrace(r, "request.malformed");
        }
    }

    static double malformedCount() {
        return errorCount("request.malformed");
    }

    static double errorCount(String reason) {
        String metrics = RawHttp.get(signet.management("/").getPort(), "/metrics", Map.of("Host", "localhost")).body();
        return metrics.lines().filter(l -> l.startsWith("signet_errors_total{reason=\"" + reason + "\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    // ---- what the HTTP layer refuses before routing has its own status and reason (RFC 9110 §15.5.14, §15.5.15, §15.6.6)

    @Test
    void anyRouteWhenContentOverTheLimitThen413TooLargeThroughTheErrorModel() {
        double before = errorCount("request.too_large");
        String big = "grant_type=client_credentials&pad=" + "a".repeat(70_000);
        RawHttp.Response api = send("POST", "/token", Map.of(), big);
        assertThat(api.status()).as(api.head()).isEqualTo(413);
        assertThat(json(api.body()).path("error").asString()).isEqualTo("invalid_request");
        assertThat(json(api.body()).path("error_description").asString()).contains("64 KiB");
        assertOneWarnWithoutStackTrace(api, "request.too_large");
        RawHttp.Response page = send("POST", "/authorize", Map.of("Sec-Fetch-Site", "same-origin"), "client_id=app&pad=" + "a".repeat(70_000));
        assertThat(page.status()).isEqualTo(413);
        assertThat(page.head()).containsIgnoringCase("Content-Type: text/html");
        assertThat(page.body()).contains("request.too_large").contains(correlationId(page));
        assertOneWarnWithoutStackTrace(page, "request.too_large");
        assertThat(errorCount("request.too_large") - before).as("signet_errors_total{reason=request.too_large}").isEqualTo(2);
    }

    @Test
    void anyRouteWhenRequestLineOverTheLimitThen414UriTooLong() {
        RawHttp.Response r = send("GET", "/authorize?client_id=app&state=" + "s".repeat(9_000), Map.of(), "");
        assertThat(r.status()).as(r.head()).isEqualTo(414);
        assertThat(r.body()).contains("request.uri_too_long").contains(correlationId(r));
        assertOneWarnWithoutStackTrace(r, "request.uri_too_long");
    }

    @Test
    void bothListenersWhenHttp10Then505SayingHttp11WithCorrelationId() {
        byte[] http10 = ("GET /.well-known/openid-configuration HTTP/1.0\r\nHost: localhost:" + port + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        RawHttp.Response r = RawHttp.raw(port, http10);
        assertThat(r.status()).as(r.head()).isEqualTo(505);
        assertThat(json(r.body()).path("error").asString()).isEqualTo("request.http_version");
        assertThat(json(r.body()).path("error_description").asString()).contains("HTTP/1.1");
        assertOneWarnWithoutStackTrace(r, "request.http_version");
        RawHttp.Response page = RawHttp.raw(port, ("GET /authorize?client_id=app HTTP/1.0\r\nAccept: text/html\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(page.status()).isEqualTo(505);
        assertThat(page.body()).contains("request.http_version").contains("HTTP/1.1").contains(correlationId(page));
        int management = signet.management("/").getPort();
        RawHttp.Response m = RawHttp.raw(management, "GET /metrics HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(m.status()).isEqualTo(505);
        assertThat(m.body()).contains("request.http_version");
        assertThat(m.head()).containsIgnoringCase("X-Request-Id:");
        assertNoProblemLogged();
    }

    @Test
    void tokenWhenFormBodyDeclaresUnknownCharsetThenReadAsUtf8NotA500() {
        RawHttp.Response r = send("POST", "/token", Map.of("Content-Type", "application/x-www-form-urlencoded; charset=klingon"),
                "grant_type=client_credentials&client_id=nobody");
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(json(r.body()).path("error").asString()).isEqualTo("invalid_client");
        assertNoProblemLogged();
    }

    @Test
    void credentialsWhenHeadersOrCookiesMalformedThen4xxWithTheirCodeAndNoStackTrace() {
        String form = "grant_type=client_credentials";
        Map<String, String> basic = Map.of(
                "Basic !!!", "invalid_client", // not base64
                "Basic YWJj", "invalid_client", // "abc": no colon
                "Basic JXp6OiV6eg==", "invalid_client", // "%zz:%zz": malformed inside the credentials
                "Basic", "invalid_client");
        basic.forEach((header, code) -> {
            RawHttp.Response r = send("POST", "/token", Map.of("Authorization", header), form);
            assertThat(r.status()).as(header).isEqualTo(401);
            assertThat(json(r.body()).path("error").asString()).as(header).isEqualTo(code);
        });
        for (String bearer : new String[] {"Bearer %zz", "Bearer a.b.c", "Bearer ", "Bearer \u00e9"}) {
            RawHttp.Response r = send("GET", "/userinfo", Map.of("Authorization", bearer), "");
            assertThat(r.status()).as(bearer).isEqualTo(401);
            assertThat(r.head()).as(bearer).contains("WWW-Authenticate: Bearer");
        }
        for (String cookie : new String[] {"signet_session=%zz", "=;;=;signet_session", "signet_session=\"abc", "signet_upstream_state=%"}) {
            RawHttp.Response r = send("GET", "/callback/dev?state=abc&code=x", Map.of("Cookie", cookie), "");
            assertThat(r.status()).as(cookie).isEqualTo(400);
            assertThat(r.body()).as(cookie).contains("upstream.state_mismatch");
        }
        assertNoProblemLogged();
    }

    // ---- defect 3: numeric parameters are bounded

    @Test
    void authorizeWhenMaxAgeHugeWithSessionThenInvalidRequestNotA500() {
        Browser browser = new Browser();
        DevSignIn.signIn(browser, app().authorize("openid", Map.of()).url(), "huge.max.age@example.com");
        for (String v : new String[] {"9223372036854775807", "2147483648", "99999999999999999999"}) {
            RelyingParty.Authorization a = app().authorize("openid", Map.of("max_age", v));
            Map<String, String> q = Browser.query(Browser.location(browser.get(a.url())));
            assertThat(q).as(v).containsEntry("error", "invalid_request").containsEntry("state", a.state()).doesNotContainKey("code");
        }
        // the largest accepted value still works with the same session
        RelyingParty.Authorization a = app().authorize("openid", Map.of("max_age", "2147483647"));
        assertThat(Browser.query(Browser.location(browser.get(a.url())))).containsKey("code");
        assertNoProblemLogged();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1e3", "+5", " 5", "5 ", "0x10", "1.5", "\uff15"})
    void authorizeWhenMaxAgeNotADecimalIntegerThenInvalidRequest(String v) {
        RelyingParty.Authorization a = app().authorize("openid", Map.of("max_age", v));
        Map<String, String> q = Browser.query(Browser.location(new Browser().get(a.url())));
        assertThat(q).containsEntry("error", "invalid_request").containsEntry("state", a.state());
    }

    @Test
    void authorizeWhenMaxAgeZeroThenSessionNotReusedAndTheNewSignInCompletes() throws Exception {
        Browser browser = new Browser();
        RelyingParty app = app();
        RelyingParty.Authorization first = app.authorize("openid", Map.of());
        long firstAuthTime = authTime(app, first, DevSignIn.signIn(browser, first.url(), "max.age.zero@example.com"));
        signet.clock.advance(Duration.ofSeconds(1));

        RelyingParty.Authorization again = app.authorize("openid", Map.of("max_age", "0"));
        // a session one second old does not satisfy max_age=0: the sign-in page, not a code; signing in
        // there completes the request (no loop back to the sign-in page at resume)
        URI back = DevSignIn.signIn(browser, again.url(), "max.age.zero@example.com");
        assertThat(authTime(app, again, back)).isGreaterThanOrEqualTo(firstAuthTime + 1);
    }

    static long authTime(RelyingParty app, RelyingParty.Authorization a, URI back) throws Exception {
        Map<String, String> q = Browser.query(back);
        assertThat(q).containsEntry("state", a.state()).containsKey("code");
        HttpResponse<String> t = app.exchange(q.get("code"), a.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        return SignedJWT.parse(RelyingParty.json(t).path("id_token").asString()).getJWTClaimsSet().getLongClaim("auth_time");
    }

    // ---- defect 6: the management listener answers only to its own names

    @ParameterizedTest
    @ValueSource(strings = {"/metrics", "/status", "/probes", "/health/live", "/health/ready", "/no-such-path"})
    void managementWhenForeignHostThen421AndNothingServed(String path) {
        int mport = signet.management("/").getPort();
        for (String host : new String[] {"evil.example", "evil.example:" + mport, "localhost.evil.example", "127.0.0.1.nip.io",
                "metrics.internal.evil.example", "[fd00::8]"}) {
            RawHttp.Response r = RawHttp.get(mport, path, Map.of("Host", host));
            assertThat(r.status()).as(host + path).isEqualTo(421);
            assertThat(r.body()).as(host + path).contains("request.unknown_host").doesNotContain("signet_").doesNotContain(host);
            assertThat(r.head()).as(host + path).doesNotContain(host);
        }
        assertThat(RawHttp.get(mport, path, Map.of()).status()).as("no Host").isIn(400, 421);
        assertThat(RawHttp.get(mport, path, Map.of("Host", "local host")).status()).as("malformed Host").isIn(400, 421);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST:%d", "127.0.0.1:%d", "127.0.0.1", "[::1]:%d", "metrics.internal",
            "Metrics.Internal.:%d", "[fd00:0::9]"})
    void managementWhenOwnNameOrLoopbackOrConfiguredThenServed(String host) {
        int mport = signet.management("/").getPort();
        String h = host.formatted(mport);
        assertThat(RawHttp.get(mport, "/health/live", Map.of("Host", h)).status()).as(h).isEqualTo(200);
        RawHttp.Response metrics = RawHttp.get(mport, "/metrics", Map.of("Host", h));
        assertThat(metrics.status()).as(h).isEqualTo(200);
        assertThat(metrics.body()).contains("signet_");
    }

    // ---- defect 7: no text from a URL on the sign-in page

    static String pendingOf(HttpResponse<String> signInPage) {
        return Browser.query(Browser.link(signInPage.body(), "/signin/dev?")).get("pending");
    }

    @Test
    void resumeWhenUnknownDomainInUrlThenNotShown() {
        Browser browser = new Browser();
        String pending = pendingOf(browser.get(app().authorize("openid", Map.of()).url()));
        String text = "Call 555-0100 for help";
        HttpResponse<String> r = browser.get(URI.create(signet.url("/authorize/resume") + "?"
                + Browser.form(Map.of("pending", pending, "unknown_domain", text))));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Continue with dev").doesNotContain("555-0100").doesNotContain("unknown-domain");
    }

    @Test
    void emailFormWhenSentAsLinkOrFromAnotherSiteThenNoNotice() {
        Browser browser = new Browser();
        String pending = pendingOf(browser.get(app().authorize("openid", Map.of()).url()));
        Map<String, String> form = Map.of("pending", pending, "email", "zoe@call-555-0100.example");
        // a link (GET) is no longer the form
        HttpResponse<String> link = browser.get(URI.create(signet.url("/signin") + "?" + Browser.form(form)));
        assertThat(link.statusCode()).isNotEqualTo(200);
        assertThat(link.body()).doesNotContain("555-0100");
        // another site's auto-submitting form: the browser says cross-site
        RawHttp.Response crossSite = send("POST", "/signin", Map.of("Sec-Fetch-Site", "cross-site"), Browser.form(form));
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.body()).contains("request.cross_site").doesNotContain("555-0100");
        RawHttp.Response sameSite = send("POST", "/signin", Map.of("Sec-Fetch-Site", "same-site"), Browser.form(form));
        assertThat(sameSite.status()).isEqualTo(403);
        // the page's own form (same-origin) shows the notice for the domain just typed
        RawHttp.Response own = send("POST", "/signin", Map.of("Sec-Fetch-Site", "same-origin"), Browser.form(form));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body()).contains("No sign-in is set up for call-555-0100.example").contains("Continue with dev");
    }

    // ---- defect 8: Signet's own access tokens get a few seconds of skew, not 60

    @Test
    void userinfoWhenAccessTokenExpiredWithinSkewThenAcceptedAndBeyondThen401() throws Exception {
        RelyingParty app = app();
        RelyingParty.Authorization a = app.authorize("openid email", Map.of());
        Map<String, String> q = Browser.query(DevSignIn.signIn(new Browser(), a.url(), "skew@example.com"));
        HttpResponse<String> t = app.exchange(q.get("code"), a.verifier());
        String accessToken = RelyingParty.json(t).path("access_token").asString();
        Instant exp = SignedJWT.parse(accessToken).getJWTClaimsSet().getExpirationTime().toInstant();
        assertThat(app.userinfo(accessToken).statusCode()).isEqualTo(200);

        signet.clock.advance(Duration.between(signet.clock.instant(), exp).plusSeconds(4));
        HttpResponse<String> within = app.userinfo(accessToken);
        assertThat(within.statusCode()).as("4 s past exp, skew 5 s: " + within.body()).isEqualTo(200);

        signet.clock.advance(Duration.ofSeconds(2));
        HttpResponse<String> beyond = app.userinfo(accessToken);
        assertThat(beyond.statusCode()).as("6 s past exp").isEqualTo(401);
        assertThat(beyond.headers().firstValue("WWW-Authenticate").orElse("")).contains("error=\"invalid_token\"");
    }
}
