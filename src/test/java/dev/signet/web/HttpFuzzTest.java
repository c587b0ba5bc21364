package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.signet.ProtocolException;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.protocol.Params;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.JsonNode;

/**
 * Jazzer over what a client sends: form and query decoding into {@link Params} (directly, fast), and
 * raw requests to the running server on a real port (one {@link SignetHarness} for the class) at
 * {@code /authorize}, {@code /token} and any route, which covers the authorize and token parameter
 * parsers, client authentication (Basic header), Bearer headers at {@code /userinfo}, and the
 * session, state, demo and trace cookies. Property: decoding yields parameters or an
 * {@code invalid_request}; over HTTP every answer is below 500 (a client can never cause a 5xx).
 *
 * <p>HTTP inputs are the request as text: for {@code /authorize} the first line is the query
 * string; for {@code /token} the input starts at the header lines; for any route it starts with
 * {@code METHOD /path?query}. Header lines follow, then an empty line and the body. {@code Host},
 * {@code Content-Length}, {@code Connection}, {@code Expect} and {@code Transfer-Encoding} are set by
 * the test, so every request is complete and framed (HTTP framing is Helidon's). The words
 * {@code SESSION}, {@code ACCESS_TOKEN}, {@code REFRESH_TOKEN}, {@code CODE} and {@code VERIFIER} in an
 * input become real ones of a user signed in at start, so the fuzzer gets past the first checks.
 */
class HttpFuzzTest {

    private static SignetHarness signet;
    private static int port;

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                demo_client: true
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    grant_types: [authorization_code, refresh_token]
                  - id: spa
                    public: true
                    redirect_uris: [http://localhost:9/cb]
                  - id: service
                    secret: service-secret-0123456789
                    grant_types: [client_credentials]
                    access_token_signed_response_alg: ES256
                connections:
                  - id: dev
                    kind: dev-unsafe
                    email_domains: [example.com]
            """;

    /** Real credentials of one signed-in user, put where an input says SESSION, ACCESS_TOKEN, REFRESH_TOKEN, ID_TOKEN, CODE or VERIFIER. */
    private static final Map<String, String> REAL = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        port = signet.issuer().getPort();
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        Browser browser = new Browser();
        RelyingParty.Authorization first = app.authorize("openid email offline_access", Map.of());
        Map<String, String> code = Browser.query(DevSignIn.signIn(browser, first.url(), "ada@example.com"));
        JsonNode tokens = RelyingParty.json(app.exchange(code.get("code"), first.verifier()));
        REAL.put("SESSION", browser.cookie("signet_session").orElseThrow());
        REAL.put("ACCESS_TOKEN", tokens.get("access_token").asString());
        REAL.put("REFRESH_TOKEN", tokens.path("refresh_token").asString(""));
        REAL.put("ID_TOKEN", tokens.path("id_token").asString(""));
        // a second code, not yet redeemed (the first redemption of it in a run succeeds, later ones are reuse)
        RelyingParty.Authorization second = app.authorize("openid", Map.of());
        REAL.put("CODE", Browser.query(Browser.location(browser.get(second.url()))).get("code")); // signed in: a code at once
        REAL.put("VERIFIER", second.verifier());
    }

    private static String withRealCredentials(String s) {
        for (var e : REAL.entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        return s;
    }

    @AfterAll
    static void stop() {
        if (signet != null) {
            signet.close();
        }
    }

    /** An {@code application/x-www-form-urlencoded} body (also the shape of a query string) into parameters. */
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"&", "=", "%", "%2", "%zz", "+", "client_id", "grant_type", "scope", "state"})
    void formWhenFuzzedThenParamsOrInvalidRequest(byte[] input) {
        Params p;
        try {
            p = new Params(Exchange.parseForm(new String(input, StandardCharsets.UTF_8)));
        } catch (ProtocolException e) {
            assertThat(e.reason().code()).isEqualTo("request.malformed"); // answered as invalid_request (400)
            assertThat(e.reason().oauthError()).isEqualTo("invalid_request");
            return;
        }
        for (String name : p.values().keySet()) {
            try {
                p.get(name).ifPresent(v -> assertThat(v).isNotEmpty());
            } catch (ProtocolException repeated) {
                assertThat(p.values().get(name)).hasSizeGreaterThan(1);
            }
        }
        assertThat(p.firstValues().keySet()).isSubsetOf(p.values().keySet());
    }

    /** {@code GET /authorize?QUERY}: line 1 is the query, then header lines (a session cookie, say). */
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"client_id=app", "client_id=spa", "redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fcb", "response_type=code",
        "scope=openid", "code_challenge_method=S256", "prompt=", "max_age=", "state=", "&", "%", "\\x0aCookie: signet_session="})
    void authorizeWhenRawQueryThenNever5xx(byte[] input) {
        String text = withRealCredentials(new String(input, StandardCharsets.ISO_8859_1));
        int nl = text.indexOf('\n');
        String query = nl < 0 ? text : text.substring(0, nl);
        String rest = nl < 0 ? "" : text.substring(nl + 1);
        assertBelow500(send("GET /authorize?" + query.replace("\r", ""), rest));
    }

    /** {@code POST /token}: header lines (Authorization, Content-Type), an empty line, the form body. */
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"Authorization: Basic ", "Authorization: Bearer ", "\\x0a\\x0a", "grant_type=", "client_credentials", "authorization_code",
        "refresh_token", "client_id=", "client_secret=", "code=", "code_verifier=", "redirect_uri=", "scope=", "&", "%"})
    void tokenWhenRawRequestThenNever5xx(byte[] input) {
        String text = withRealCredentials(new String(input, StandardCharsets.ISO_8859_1));
        if (!text.toLowerCase(Locale.ROOT).contains("content-type:")) {
            text = "Content-Type: application/x-www-form-urlencoded\n" + text;
        }
        assertBelow500(send("POST /token", text));
    }

    /**
     * Any request: {@code METHOD /path?query}, header lines, an empty line, the body. The seeds aim
     * at {@code /userinfo} (Bearer), {@code /callback/dev} (state cookie), {@code /authorize/resume}
     * (session cookie), {@code /demo/callback} (demo cookie), {@code /signin}, the dev upstream's form
     * and trace cookies.
     */
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"GET /", "POST /", "userinfo", "callback/dev", "authorize/resume", "demo/callback", "signin/dev", "dev-upstream/dev",
        "Cookie: ", "signet_session=", "signet_upstream_state=", "signet_demo=", "signet_trace=", "Authorization: Bearer ", "traceparent: 00-"})
    void anyRouteWhenRawRequestThenNever5xx(byte[] input) {
        String text = withRealCredentials(new String(input, StandardCharsets.ISO_8859_1));
        int nl = text.indexOf('\n');
        String line = (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
        if (!line.matches("(GET|POST|PUT|DELETE|HEAD|OPTIONS) /\\S*")) {
            return; // a malformed request line is Helidon's to reject (400), not Signet's
        }
        Answer a = send(line, nl < 0 ? "" : text.substring(nl + 1));
        if (routedPath(line).startsWith("/dev-upstream/") && a.status() == 502) {
            return; // the dev connection's stand-in IdP answers a forged link as an upstream would (DevConnectionJourneyTest)
        }
        assertBelow500(a);
    }

    /** The path a request line routes to, roughly as the server sees it: %XX decoded, empty and dot segments removed. */
    private static String routedPath(String requestLine) {
        String raw = requestLine.substring(requestLine.indexOf(' ') + 1).replaceAll("[?#].*", "");
        StringBuilder decoded = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && HexFormat.isHexDigit(raw.charAt(i + 1)) && HexFormat.isHexDigit(raw.charAt(i + 2))) {
                decoded.append((char) HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                decoded.append(c);
            }
        }
        java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
        for (String seg : decoded.toString().split("/")) {
            if (seg.equals("..")) {
                segments.pollLast();
            } else if (!seg.isEmpty() && !seg.equals(".")) {
                segments.addLast(seg);
            }
        }
        return "/" + String.join("/", segments) + (decoded.toString().endsWith("/") ? "/" : "");
    }

    // ---- the raw client

    private record Answer(int status, String head) {}

    private static void assertBelow500(Answer a) {
        assertThat(a.status()).as(a.head()).isBetween(100, 499);
    }

    /**
     * Sends {@code requestLine HTTP/1.1}, the header lines of {@code headersAndBody} up to the first
     * empty line (minus the framing headers the test owns), and the rest as the body.
     */
    private static Answer send(String requestLine, String headersAndBody) {
        // Jazzer's SSRF detector flags every connection in fuzzing mode; this one goes to the server under test.
        SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, p) -> p == port && isLoopback(host));
        try {
            return sendAllowed(requestLine, headersAndBody);
        } finally {
            loopback.close();
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost");
    }

    private static Answer sendAllowed(String requestLine, String headersAndBody) {
        String normalized = headersAndBody.replace("\r\n", "\n");
        int blank = normalized.indexOf("\n\n");
        String headers = blank < 0 ? normalized : normalized.substring(0, blank);
        byte[] body = (blank < 0 ? "" : normalized.substring(blank + 2)).getBytes(StandardCharsets.ISO_8859_1);
        StringBuilder req = new StringBuilder(requestLine).append(" HTTP/1.1\r\n");
        req.append("Host: localhost:").append(port).append("\r\n");
        for (String h : headers.split("\n")) {
            String name = h.contains(":") ? h.substring(0, h.indexOf(':')).strip().toLowerCase(Locale.ROOT) : "";
            if (h.isBlank() || List.of("host", "content-length", "connection", "expect", "transfer-encoding").contains(name)) {
                continue;
            }
            req.append(h).append("\r\n");
        }
        if (requestLine.startsWith("POST") || body.length > 0) {
            req.append("Content-Length: ").append(body.length).append("\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return new Answer(status(s.getInputStream()), req.toString());
        } catch (IOException e) {
            throw new AssertionError("no answer to " + Map.of("request", req.toString()), e);
        }
    }

    /** The status code of the answer's status line. */
    private static int status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        String l = line.toString(StandardCharsets.ISO_8859_1);
        assertThat(l).as("status line").startsWith("HTTP/1.1 ");
        return Integer.parseInt(l.substring(9, 12));
    }
}
