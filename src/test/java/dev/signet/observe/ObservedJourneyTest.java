package dev.signet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real server, one full sign-in through the dev connection and several failing ones, while
 * the test captures the server's real log output (stdout, where logback's console appender
 * writes) and an in-memory span exporter sees every span. Then: no secret the test used appears
 * in the logs, every line of a request carries that request's correlation id, the metrics count
 * successes and failures by connection and reason, and the sign-in is one trace.
 */
class ObservedJourneyTest {

    static final String APP_SECRET = "app-secret-0123456789-XyZ";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final Pattern FIELD = Pattern.compile("name=\"(state|nonce|redirect_uri)\" value=\"([^\"]*)\"");

    /** The harness server block, with the loopback test client as a trusted proxy (it sets X-Request-Id). */
    static final String TRUSTING_LOOPBACK = SignetHarness.server().replace("server:\n", "server:\n  trusted_proxies: [127.0.0.1/32, \"::1/128\"]\n");

    static SignetHarness signet;
    /** New per run: closing Signet shuts the exporter down, after which it keeps nothing. */
    static InMemorySpanExporter SPANS;
    static final ByteArrayOutputStream CAPTURED = new ByteArrayOutputStream();
    static PrintStream originalOut;
    /** Every secret the test saw or sent; none may appear in the log. */
    static final Set<String> SECRETS = new LinkedHashSet<>();
    /** X-Request-Id of every request the test sent, in order. */
    static final List<String> REQUEST_IDS = new ArrayList<>();
    static final Map<String, String> FAILURES = new LinkedHashMap<>(); // correlation id → expected reason
    static String capturedLog;

    @BeforeAll
    static void run() throws Exception {
        // Everything a run fills is new or emptied here, so the class passes when run twice in one JVM (PIT).
        SPANS = InMemorySpanExporter.create();
        UPSTREAM = new MockOAuth2Server();
        BROWSER = new Browser();
        CAPTURED.reset();
        SECRETS.clear();
        REQUEST_IDS.clear();
        FAILURES.clear();
        CORP_JOURNEY.clear();
        UPSTREAM.start();
        originalOut = System.out;
        System.setOut(new PrintStream(new Tee(originalOut, CAPTURED), true, StandardCharsets.UTF_8));
        signet = SignetHarness.start(TRUSTING_LOOPBACK + """
                logging:
                  access_log: true
                probes:
                  enabled: false
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: ${APP_SECRET}
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                      - id: corp
                        kind: oidc
                        issuer: ${UPSTREAM}
                        client_id: signet
                        client_secret: ${UPSTREAM_SECRET}
                        discovery: auto
                """, Map.of("APP_SECRET", APP_SECRET, "UPSTREAM", UPSTREAM.issuerUrl("corp").toString(), "UPSTREAM_SECRET", UPSTREAM_SECRET),
                List.of(SPANS));
        int before = CAPTURED.size();
        SPANS.reset();
        signInAndFail();
        // The access log line is written after the response: wait until every request has one.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (accessLines() < REQUEST_IDS.size() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll with a deadline
        }
        capturedLog = CAPTURED.toString(StandardCharsets.UTF_8).substring(before);
    }

    static long accessLines() {
        return CAPTURED.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"logger_name\":\"signet.access\"")).count();
    }

    @AfterAll
    static void stop() {
        System.setOut(originalOut);
        signet.close();
        UPSTREAM.shutdown();
    }

    static Browser BROWSER;
    static MockOAuth2Server UPSTREAM;
    static final String UPSTREAM_SECRET = "upstream-secret-" + RelyingParty.random();
    /** Correlation ids of the requests of the traced OIDC sign-in. */
    static final List<String> CORP_JOURNEY = new ArrayList<>();

    static HttpResponse<String> send(HttpRequest.Builder b) {
        return send(BROWSER, b);
    }

    static HttpResponse<String> send(Browser browser, HttpRequest.Builder b) {
        String id = "test-req-%04d".formatted(REQUEST_IDS.size());
        REQUEST_IDS.add(id);
        return browser.send(b.header("X-Request-Id", id));
    }

    static HttpResponse<String> get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    static HttpResponse<String> get(Browser browser, URI uri) {
        return send(browser, HttpRequest.newBuilder(uri).GET());
    }

    static URI authorizeUrl(String verifier) {
        return signet.url("/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fcb"
                + "&scope=openid%20email%20offline_access&state=app-state-" + RelyingParty.random() + "&nonce=n&code_challenge="
                + RelyingParty.s256(verifier) + "&code_challenge_method=S256");
    }

    /** A sign-in through the OIDC upstream in a fresh browser; the requests' correlation ids go to {@code journey}. */
    static URI corpSignIn(List<String> journey, boolean forgeIssuer) {
        Browser b = new Browser();
        String verifier = RelyingParty.random() + RelyingParty.random();
        SECRETS.add(verifier);
        int first = REQUEST_IDS.size();
        HttpResponse<String> page = get(b, authorizeUrl(verifier));
        URI upstream = Browser.location(get(b, Browser.link(page.body(), "/signin/corp")));
        SECRETS.add(Browser.query(upstream).get("state"));
        SECRETS.add(Browser.query(upstream).get("nonce"));
        UPSTREAM.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "alice", "JWT", List.of("signet"),
                Map.of("email", "alice@example.com", "email_verified", true), 3600));
        URI callback = Browser.location(b.get(upstream));
        SECRETS.add(Browser.query(callback).get("code"));
        if (forgeIssuer) {
            callback = URI.create(callback.toString().replaceAll("&iss=[^&]*", "") + "&iss=https%3A%2F%2Fevil.example");
        }
        HttpResponse<String> afterCallback = get(b, callback);
        journey.addAll(REQUEST_IDS.subList(first, REQUEST_IDS.size()));
        if (forgeIssuer) {
            failure(afterCallback, "upstream.issuer_mismatch");
            return callback;
        }
        SECRETS.add(b.cookie("signet_session").orElseThrow());
        URI back = Browser.location(afterCallback); // straight back to the application (issue 16)
        SECRETS.add(Browser.query(back).get("code"));
        return back;
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> token(String authorization, Map<String, String> form) {
        SECRETS.add(authorization.substring("Basic ".length()));
        return send(HttpRequest.newBuilder(signet.url("/token")).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(Browser.form(form))));
    }

    static void failure(HttpResponse<String> r, String reason) {
        FAILURES.put(r.headers().firstValue("X-Request-Id").orElseThrow(), reason);
    }

    static void signInAndFail() throws Exception {
        SECRETS.add(APP_SECRET);
        String verifier = RelyingParty.random() + RelyingParty.random();
        SECRETS.add(verifier);
        HttpResponse<String> page = get(authorizeUrl(verifier));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        URI upstream = Browser.location(get(Browser.link(page.body(), "/signin/dev")));
        Map<String, String> q = Browser.query(upstream);
        SECRETS.add(q.get("state"));
        SECRETS.add(q.get("nonce"));
        SECRETS.add(BROWSER.cookie("signet_upstream_state").orElseThrow());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("state", q.get("state"));
        form.put("nonce", q.get("nonce"));
        form.put("redirect_uri", q.get("redirect_uri"));
        form.put("name", "Ada");
        form.put("email", "ada@example.com");
        URI upstreamForm = URI.create(upstream.toString().substring(0, upstream.toString().indexOf('?')));
        URI callback = Browser.location(send(HttpRequest.newBuilder(upstreamForm).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(form)))));
        SECRETS.add(Browser.query(callback).get("code"));
        URI back = Browser.location(get(callback)); // straight back to the application (issue 16)
        SECRETS.add(BROWSER.cookie("signet_session").orElseThrow());
        String code = Browser.query(back).get("code");
        SECRETS.add(code);

        Map<String, String> exchange = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", "http://localhost:9/cb",
                "code_verifier", verifier);
        HttpResponse<String> tokens = token(basic("app", APP_SECRET), exchange);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode t = JSON.readTree(tokens.body());
        for (String k : List.of("access_token", "refresh_token", "id_token")) {
            SECRETS.add(t.get(k).asString());
        }
        HttpResponse<String> userinfo = send(HttpRequest.newBuilder(signet.url("/userinfo"))
                .header("Authorization", "Bearer " + t.get("access_token").asString()));
        assertThat(userinfo.statusCode()).isEqualTo(200);

        // Failures, each of a different kind.
        HttpResponse<String> reused = token(basic("app", APP_SECRET), exchange);
        failure(reused, "invalid_grant");
        String wrongSecret = "wrong-secret-" + RelyingParty.random();
        SECRETS.add(wrongSecret);
        failure(token(basic("app", wrongSecret), Map.of("grant_type", "client_credentials")), "invalid_client");
        String forgedCode = "forged-code-" + RelyingParty.random();
        String forgedState = "forged-state-" + RelyingParty.random();
        SECRETS.add(forgedCode);
        SECRETS.add(forgedState);
        HttpResponse<String> forged = get(signet.url("/callback/dev?code=" + forgedCode + "&state=" + forgedState));
        assertThat(ErrorPage.of(forged).reason()).isEqualTo("upstream.state_mismatch");
        failure(forged, "upstream.state_mismatch");
        HttpResponse<String> unknown = get(signet.url("/authorize?client_id=nobody&redirect_uri=http://evil/cb"));
        failure(unknown, "authorize.unknown_client");
        String garbage = "garbage-bearer-" + RelyingParty.random();
        SECRETS.add(garbage);
        failure(send(HttpRequest.newBuilder(signet.url("/userinfo")).header("Authorization", "Bearer " + garbage)), "invalid_token");
        failure(get(signet.url("/signin/nope?pending=x")), "signin.unknown_connection");

        // Through the OIDC upstream: one good sign-in (traced), one whose callback carries a foreign issuer.
        corpSignIn(CORP_JOURNEY, false);
        corpSignIn(new ArrayList<>(), true);
    }

    static List<JsonNode> lines() {
        return capturedLog.lines().filter(l -> !l.isBlank()).map(l -> {
            assertThat(l).as("every log line is JSON").startsWith("{");
            return JSON.readTree(l);
        }).toList();
    }

    @Test
    void logWhenSignInAndFailuresThenNoSecretAnywhere() {
        assertThat(SECRETS).hasSizeGreaterThan(12).allSatisfy(s -> assertThat(s).isNotBlank());
        assertThat(capturedLog).as("the captured log").isNotBlank();
        for (String secret : SECRETS) {
            assertThat(capturedLog).as("log must not contain a secret the test used").doesNotContain(secret);
        }
    }

    @Test
    void logWhenRequestsThenEveryLineCarriesItsCorrelationId() {
        List<JsonNode> lines = lines();

        assertThat(lines).hasSizeGreaterThanOrEqualTo(REQUEST_IDS.size());
        assertThat(lines).allSatisfy(l -> assertThat(REQUEST_IDS).as(l.toString()).contains(l.path("correlation_id").asString()));
        assertThat(lines).allSatisfy(l -> assertThat(l.path("trace_id").asString()).as(l.toString()).hasSize(32));
        // Each failing request logged its reason under its own correlation id.
        FAILURES.forEach((id, reason) -> assertThat(lines).as("a line for %s with reason %s", id, reason)
                .anySatisfy(l -> {
                    assertThat(l.path("correlation_id").asString()).isEqualTo(id);
                    assertThat(l.path("reason").asString()).isEqualTo(reason);
                }));
    }

    static String scrape() {
        HttpResponse<String> r = new Browser().get(signet.management("/metrics"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        return r.body();
    }

    /** The value of one Prometheus sample, 0 when absent. */
    static double sample(String metrics, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name + "{" + labels + "}") + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void metricsWhenSignInsAndFailuresThenCountedByConnectionAndReason() {
        String m = scrape();

        assertThat(sample(m, "signet_signins_started_total", "connection=\"dev\",tenant=\"default\"")).isEqualTo(1);
        assertThat(sample(m, "signet_signins_succeeded_total", "connection=\"dev\",tenant=\"default\"")).isEqualTo(1);
        assertThat(sample(m, "signet_signins_started_total", "connection=\"corp\",tenant=\"default\"")).isEqualTo(2);
        assertThat(sample(m, "signet_signins_succeeded_total", "connection=\"corp\",tenant=\"default\"")).isEqualTo(1);
        assertThat(sample(m, "signet_signins_failed_total", "connection=\"corp\",reason=\"upstream.issuer_mismatch\",tenant=\"default\""))
                .isEqualTo(1);
        assertThat(sample(m, "signet_signins_failed_total", "connection=\"dev\",reason=\"upstream.state_mismatch\",tenant=\"default\""))
                .isEqualTo(1);
        assertThat(sample(m, "signet_signins_failed_total",
                "connection=\"unknown\",reason=\"signin.unknown_connection\",tenant=\"default\"")).isEqualTo(1);
        assertThat(m).doesNotContain("connection=\"nope\"");
        for (String reason : List.of("invalid_grant", "invalid_client", "invalid_token", "authorize.unknown_client")) {
            assertThat(sample(m, "signet_errors_total", "reason=\"" + reason + "\"")).as(reason).isEqualTo(1);
        }
        assertThat(sample(m, "signet_tokens_issued_total", "client=\"app\",grant=\"authorization_code\"")).isEqualTo(1);
        assertThat(sample(m, "signet_upstream_request_seconds_count", "connection=\"corp\",endpoint=\"token_endpoint\",outcome=\"ok\""))
                .isEqualTo(1);
        assertThat(m).contains("signet_upstream_request_seconds_bucket{connection=\"corp\",endpoint=\"token_endpoint\"");
        assertThat(sample(m, "signet_store_seconds_count", "op=\"write\"")).isGreaterThan(4);
        assertThat(sample(m, "signet_store_errors_total", "op=\"write\"")).isZero();
        // Request durations by route pattern (issue 16: the server's own tail beside a load generator's).
        assertThat(sample(m, "signet_http_request_seconds_count", "method=\"POST\",route=\"/token\"")).isGreaterThanOrEqualTo(3);
        assertThat(sample(m, "signet_http_request_seconds_count", "method=\"GET\",route=\"/authorize\"")).isGreaterThanOrEqualTo(1);
        assertThat(m).contains("signet_http_request_seconds_bucket{method=\"GET\",route=\"/callback/{connection}\",le=");
        assertThat(m).doesNotContain("route=\"/callback/corp\"");
    }

    @Test
    void traceWhenOidcSignInThenOneTraceWithEveryStepUpstreamAndStoreSpan() throws Exception {
        var spans = SPANS.getFinishedSpanItems();
        var server = spans.stream().filter(s -> CORP_JOURNEY.contains(s.getAttributes().get(Tracing.CORRELATION_ID))).toList();
        assertThat(server).extracting(s -> s.getName())
                .containsExactly("authorize", "signin.start", "signin.callback");
        assertThat(server).extracting(s -> s.getTraceId()).containsOnly(server.getFirst().getTraceId());
        String traceId = server.getFirst().getTraceId();
        var inTrace = spans.stream().filter(s -> s.getTraceId().equals(traceId)).map(s -> s.getName()).toList();

        assertThat(inTrace).contains("upstream token_endpoint", "store.write", "store.read");
        assertThat(spans.stream().filter(s -> s.getName().equals("upstream token_endpoint") && s.getTraceId().equals(traceId)))
                .singleElement().satisfies(s -> assertThat(s.getAttributes().get(Tracing.CONNECTION)).isEqualTo("corp"));
        // The upstream received the W3C trace context of this trace.
        boolean propagated = false;
        while (!propagated) {
            okhttp3.mockwebserver.RecordedRequest r;
            try {
                r = UPSTREAM.takeRequest(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (RuntimeException noMore) {
                break;
            }
            String tp = r.getHeader("traceparent");
            propagated = r.getPath() != null && r.getPath().contains("/token") && tp != null && tp.contains(traceId);
        }
        assertThat(propagated).as("the token request to the upstream carried traceparent of trace " + traceId).isTrue();
        // The failed callback's span carries the reason code.
        assertThat(spans).anySatisfy(s -> {
            assertThat(s.getName()).isEqualTo("signin.callback");
            assertThat(s.getAttributes().get(Tracing.REASON)).isEqualTo("upstream.issuer_mismatch");
        });
    }

    /** Copies what the server writes to stdout into the capture, and on to the real stdout. */
    static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
        }
    }
}
