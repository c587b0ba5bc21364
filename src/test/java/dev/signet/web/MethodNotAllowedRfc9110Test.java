package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.LogCapture;
import dev.signet.harness.RawHttp;
import dev.signet.harness.SignetHarness;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9110 §15.5.6: a mounted path asked with a method none of its routes takes is a 405 whose
 * {@code Allow} header lists the methods mounted for it (§10.2.1), answered on the surface its
 * routes declare (OAuth JSON at /token and /userinfo, JSON with the reason code at the metadata
 * documents, the error page elsewhere), never a 404, a 5xx or a stack trace; an unknown path stays
 * 404. The management listener answers its own errors the same way: JSON, plain text at /metrics,
 * never the HTTP library's answer.
 */
class MethodNotAllowedRfc9110Test {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static SignetHarness signet;
    static LogCapture logs;
    static int port;
    static int management;

    @BeforeAll
    static void start() {
        logs = LogCapture.everything();
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """);
        port = signet.issuer().getPort();
        management = signet.management("/").getPort();
    }

    @AfterAll
    static void stop() {
        signet.close();
        logs.close();
    }

    static RawHttp.Response send(int to, String method, String target) {
        return RawHttp.send(to, method, target, Map.of("Host", "localhost:" + to), "");
    }

    static Optional<String> header(RawHttp.Response r, String name) {
        return r.header(name);
    }

    /** {@code error} of a JSON answer, or the reason code shown on an error page, by the answer's Content-Type. */
    static String error(RawHttp.Response r, String expectedType) {
        assertThat(header(r, "Content-Type")).as(r.all()).hasValueSatisfying(t -> assertThat(t).startsWith(expectedType));
        if (expectedType.equals("application/json")) {
            return JSON.readTree(r.body()).path("error").asString();
        }
        if (expectedType.equals("text/html")) {
            var m = java.util.regex.Pattern.compile("<code id=\"reason\">([^<]*)</code>").matcher(r.body());
            assertThat(m.find()).as(r.body()).isTrue();
            return m.group(1);
        }
        return r.body().substring(0, r.body().indexOf(':'));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            PUT     | /token                                  | POST, OPTIONS | application/json | invalid_request
            GET     | /token                                  | POST, OPTIONS | application/json | invalid_request
            OPTIONS | /introspect                             | POST      | application/json | invalid_request
            GET     | /introspect                             | POST      | application/json | invalid_request
            DELETE  | /revoke                                 | POST, OPTIONS | application/json | invalid_request
            PUT     | /userinfo                               | GET, HEAD, POST, OPTIONS | application/json | invalid_request
            DELETE  | /authorize                              | GET, HEAD, POST | text/html        | request.method_not_allowed
            OPTIONS | /authorize                              | GET, HEAD, POST | text/html        | request.method_not_allowed
            POST    | /signin/dev                             | GET, HEAD | text/html        | request.method_not_allowed
            PATCH   | /callback/dev                           | GET, HEAD, POST | text/html        | request.method_not_allowed
            POST    | /.well-known/openid-configuration       | GET, HEAD, OPTIONS | application/json | request.method_not_allowed
            DELETE  | /.well-known/oauth-authorization-server | GET, HEAD, OPTIONS | application/json | request.method_not_allowed
            POST    | /jwks                                   | GET, HEAD, OPTIONS | application/json | request.method_not_allowed
            """)
    void requestWhenMethodNotMountedForPathThen405WithAllowOnTheRoutesSurface(String method, String path, String allow, String type,
            String error) {
        RawHttp.Response r = send(port, method, path);

        assertThat(r.status()).as(r.all()).isEqualTo(405);
        assertThat(header(r, "Allow")).as(r.all()).hasValue(allow);
        assertThat(error(r, type)).isEqualTo(error);
        assertThat(header(r, "X-Request-Id")).isPresent();
        if (path.equals("/userinfo")) {
            assertThat(header(r, "WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("error=\"invalid_request\""));
        }
        String id = header(r, "X-Request-Id").orElseThrow();
        assertThat(logs.detail(id)).contains(method).contains("allowed: " + allow);
        assertThat(logs.problems()).as("no ERROR, no stack trace").isEmpty();
    }

    @Test
    void requestWhenMountedMethodThenServedNot405() {
        assertThat(send(port, "GET", "/.well-known/openid-configuration").status()).isEqualTo(200);
        RawHttp.Response token = RawHttp.send(port, "POST", "/token",
                Map.of("Host", "localhost:" + port, "Content-Type", "application/x-www-form-urlencoded"), "grant_type=nope");
        assertThat(token.status()).as(token.all()).isIn(400, 401);
    }

    /**
     * RFC 9112 §3.2.4 / RFC 9110 §9.3.7: {@code OPTIONS *} asks about the server as a whole: 200, no
     * content, {@code Allow} listing the methods the listener takes anywhere; another method with the
     * asterisk-form is a malformed request (400 {@code request.malformed} through the error model, with
     * a correlation id), never the HTTP library's plain 404.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"public|GET, HEAD, POST", "management|GET"})
    void optionsAsteriskThen200WithAllowAndNoContent(String listener, String allow) {
        int to = listener.equals("public") ? port : management;
        RawHttp.Response r = send(to, "OPTIONS", "*");
        assertThat(r.status()).as(r.all()).isEqualTo(200);
        assertThat(header(r, "Allow")).hasValue(allow);
        assertThat(header(r, "Content-Length")).hasValue("0");
        assertThat(r.body()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"public", "management"})
    void optionsAsteriskWhenHostUnknownThen421First(String listener) {
        int to = listener.equals("public") ? port : management;
        RawHttp.Response r = RawHttp.send(to, "OPTIONS", "*", Map.of("Host", "evil.example"), "");
        assertThat(r.status()).as(r.all()).isEqualTo(421);
        assertThat(header(r, "Allow")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"public,GET,application/json", "public,POST,application/json", "management,GET,application/json"})
    void otherMethodWithAsteriskThen400Malformed(String listener, String method, String type) {
        int to = listener.equals("public") ? port : management;
        RawHttp.Response r = RawHttp.send(to, method, "*", Map.of("Host", "localhost:" + to, "Accept", type), "");
        assertThat(r.status()).as(r.all()).isEqualTo(400);
        assertThat(error(r, type)).isEqualTo(listener.equals("public") ? "invalid_request" : "request.malformed");
        assertThat(r.body()).doesNotContain("Endpoint not found");
    }

    @ParameterizedTest
    @CsvSource({"PUT,/no/such/page", "GET,/no/such/page", "DELETE,/token/deeper"})
    void requestWhenPathNotMountedThenStill404NotFound(String method, String path) {
        RawHttp.Response r = RawHttp.send(port, method, path, Map.of("Host", "localhost:" + port, "Accept", "text/html"), "");

        assertThat(r.status()).as(r.all()).isEqualTo(404);
        assertThat(header(r, "Allow")).isEmpty();
        assertThat(error(r, "text/html")).isEqualTo("not_found");
    }

    @Test
    void wrongMethodWhenHostUnknownThen421First() {
        RawHttp.Response r = RawHttp.send(port, "PUT", "/token", Map.of("Host", "evil.example"), "");

        assertThat(r.status()).isEqualTo(421);
        assertThat(header(r, "Allow")).isEmpty();
    }

    /**
     * RFC 9110 §9.1: every GET route also answers HEAD (§9.3.2: the same status and header fields,
     * no content), with the Content-Length GET would send (§8.6); the 405 that says so lists HEAD.
     */
    @ParameterizedTest
    @CsvSource({"/jwks", "/.well-known/openid-configuration"})
    void headWhenGetRouteThen200WithGetsHeaderFieldsAndNoContent(String path) {
        RawHttp.Response get = send(port, "GET", path);
        String both = headThenGet(port, path);
        String head = both.substring(0, both.indexOf("\r\n\r\n") + 4).toLowerCase(Locale.ROOT);

        assertThat(head).as(both).startsWith("http/1.1 200 ");
        assertThat(head).contains("content-length: " + get.body().getBytes(StandardCharsets.UTF_8).length + "\r\n");
        assertThat(head).contains("content-type: application/json");
        assertThat(head).contains("etag: " + header(get, "ETag").orElseThrow().toLowerCase(Locale.ROOT));
        // no content: the next answer on the connection follows the head at once
        assertThat(both.substring(head.length())).as(both).startsWith("HTTP/1.1 ");
    }

    /**
     * HEAD {@code path}, then {@code GET /health/live} on the same connection: both answers up to the
     * end of the second one's head (the server may keep the connection open).
     */
    static String headThenGet(int to, String path) {
        String host = "Host: localhost:" + to + "\r\n";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", to), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("HEAD " + path + " HTTP/1.1\r\n" + host + "\r\n"
                    + "GET /health/live HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            java.io.InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            while (got.indexOf("\r\n\r\n") < 0 || got.indexOf("\r\n\r\n", got.indexOf("\r\n\r\n") + 4) < 0) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                got.append((char) c);
            }
            return got.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * RFC 9110 §9.3.2: the answer to HEAD carries no content (a 200 at a GET route, a 4xx elsewhere);
     * content would be read as the start of the next response on a kept-alive connection.
     */
    @ParameterizedTest
    @CsvSource({"public,/jwks", "public,/authorize", "public,/no/such/page", "management,/metrics", "management,/health/live"})
    void headWhenAnsweredThenNoContentAndTheNextResponseOnTheConnectionIsIntact(String listener, String path) {
        String both = headThenGet(listener.equals("public") ? port : management, path);

        assertThat(both).as(both).startsWith(path.equals("/jwks") ? "HTTP/1.1 200" : "HTTP/1.1 40");
        String afterHead = both.substring(both.indexOf("\r\n\r\n") + 4);
        // the second answer follows the first's head at once: 404 on the public port, 200 on the management one
        assertThat(afterHead).as(both).startsWith("HTTP/1.1 ");
    }

    // ---- the management listener

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            POST    | /metrics      | text/plain
            PUT     | /health/live  | application/json
            POST    | /health/ready | application/json
            DELETE  | /probes       | application/json
            POST    | /status       | application/json
            OPTIONS | /metrics      | text/plain
            """)
    void managementWhenMethodNotMountedThen405AllowGet(String method, String path, String type) {
        RawHttp.Response r = send(management, method, path);

        assertThat(r.status()).as(r.all()).isEqualTo(405);
        assertThat(header(r, "Allow")).hasValue("GET");
        assertThat(error(r, type)).isEqualTo("request.method_not_allowed");
        assertThat(r.body()).doesNotContain("<html").doesNotContain("signet_");
    }

    @ParameterizedTest
    @CsvSource({"GET,/", "GET,/nope", "GET,/metrics/extra", "POST,/health"})
    void managementWhenUnknownPathThenJson404(String method, String path) {
        RawHttp.Response r = send(management, method, path);

        assertThat(r.status()).as(r.all()).isEqualTo(404);
        assertThat(error(r, "application/json")).isEqualTo("not_found");
        assertThat(header(r, "X-Request-Id")).isPresent();
    }

    @Test
    void managementWhenRequestUnreadableThen400JsonOrTextAtMetrics() {
        RawHttp.Response json = send(management, "GET", "/health/ready?x=%zz");
        assertThat(json.status()).as(json.all()).isEqualTo(400);
        assertThat(error(json, "application/json")).isEqualTo("request.malformed");

        RawHttp.Response text = send(management, "GET", "/metrics?x=%zz");
        assertThat(text.status()).as(text.all()).isEqualTo(400);
        assertThat(error(text, "text/plain")).isEqualTo("request.malformed");

        RawHttp.Response header = RawHttp.send(management, "GET", "/metrics", Map.of("Host", "localhost", "Bad Header", "x"), "");
        assertThat(header.status()).as(header.all()).isEqualTo(400);
        assertThat(error(header, "text/plain")).isEqualTo("request.malformed");
        assertThat(logs.problems()).as("no ERROR, no stack trace").isEmpty();
    }

    @Test
    void managementWhenForeignHostAtMetricsThen421AsText() {
        RawHttp.Response r = RawHttp.get(management, "/metrics", Map.of("Host", "evil.example"));

        assertThat(r.status()).isEqualTo(421);
        assertThat(error(r, "text/plain")).isEqualTo("request.unknown_host");
    }

    /** Every error the management listener answers counts in signet_errors_total, as the public listener's do. */
    @Test
    void managementWhenErrorAnsweredThenCountedInErrorsTotalByReason() {
        Map<String, Runnable> answers = Map.of(
                "request.method_not_allowed", () -> send(management, "POST", "/health/live"),
                "not_found", () -> send(management, "GET", "/nope"),
                "request.unknown_host", () -> RawHttp.get(management, "/metrics", Map.of("Host", "evil.example")),
                // refused by the HTTP layer before routing (a direct handler)
                "request.malformed", () -> RawHttp.send(management, "GET", "/metrics", Map.of("Host", "localhost", "Bad Header", "x"), ""));
        answers.forEach((reason, answer) -> {
            double before = errorsTotal(reason);
            answer.run();
            assertThat(errorsTotal(reason) - before).as("signet_errors_total{reason=%s}", reason).isEqualTo(1);
        });
    }

    private static double errorsTotal(String reason) {
        String metrics = RawHttp.get(management, "/metrics", Map.of("Host", "localhost")).body();
        return metrics.lines().filter(l -> l.startsWith("signet_errors_total{reason=\"" + reason + "\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
