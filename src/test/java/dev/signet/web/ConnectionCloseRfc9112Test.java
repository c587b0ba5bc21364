package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.signet.harness.LogCapture;
import dev.signet.harness.SignetHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 9112 §9.6: a server that receives the "close" connection option MUST initiate closure of the
 * connection after it sends the final response to that request. On both listeners, for an answer a
 * route gave, an error answer, a request whose content no handler read and a request listing other
 * options beside "close": the whole response arrives, says "Connection: close", and then the server
 * ends the connection (the client reads end of stream, not a reset and not a wait). A request without
 * the option keeps the connection open for the next one. Ending the connection is no problem to log.
 */
class ConnectionCloseRfc9112Test {

    static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 (\\d{3}) ");

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
        logs.clear(); // start-up's own warning (the dev connection)
    }

    @AfterAll
    static void stop() {
        signet.close();
        logs.close();
    }

    /**
     * Writes {@code requests} on one connection and reads until the server ends it. Fails if the
     * connection is still open 20 s later or is reset.
     */
    static String untilServerCloses(int to, String requests) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", to), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(requests.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            StringBuilder got = new StringBuilder();
            try {
                for (int c = in.read(); c >= 0; c = in.read()) {
                    got.append((char) c);
                }
            } catch (SocketTimeoutException stillOpen) {
                fail("the server kept the connection open after answering; read so far:%n%s", got);
            }
            assertThat(logs.events()).as("nothing at WARN or above, no stack trace")
                    .noneMatch(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN) || e.getThrowableProxy() != null);
            return got.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String request(String method, String target, int to, String connection, String body) {
        return method + " " + target + " HTTP/1.1\r\nHost: localhost:" + to + "\r\n"
                + (connection.isEmpty() ? "" : "Connection: " + connection + "\r\n")
                + (body.isEmpty() ? "" : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n")
                + "\r\n" + body;
    }

    /** The status codes of every response in {@code got}, in order. */
    static java.util.List<Integer> statuses(String got) {
        java.util.List<Integer> all = new java.util.ArrayList<>();
        for (Matcher m = STATUS_LINE.matcher(got); m.find(); ) {
            all.add(Integer.parseInt(m.group(1)));
        }
        return all;
    }

    /** The whole last response: its head announces the close and its content is complete (Content-Length). */
    static void assertLastAnswerCompleteAndAnnouncesClose(String got) {
        String last = got.substring(got.lastIndexOf("HTTP/1.1 "));
        int end = last.indexOf("\r\n\r\n");
        assertThat(end).as(got).isPositive();
        String head = last.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        assertThat(head).as(got).contains("\r\nconnection: close");
        Matcher length = Pattern.compile("\r\ncontent-length: (\\d+)").matcher(head);
        assertThat(length.find()).as("Content-Length in " + head).isTrue();
        assertThat(last.length() - end - 4).as(got).isEqualTo(Integer.parseInt(length.group(1)));
    }

    @ParameterizedTest(name = "{0} {1} (Connection: {2}) -> {4}")
    @CsvSource(delimiter = '|', textBlock = """
            GET  | /jwks                              | close              |                          | 200
            GET  | /.well-known/openid-configuration  | Close              |                          | 200
            GET  | /jwks                              | keep-alive, close  |                          | 200
            GET  | /no/such/page                      | close              |                          | 404
            POST | /token                             | close              | grant_type=refresh_token | 401
            POST | /jwks                              | close              | a=b&c=d                  | 405
            """)
    void publicWhenRequestAsksToCloseThenWholeAnswerThenConnectionEnds(String method, String target, String connection,
            String body, int status) {
        String got = untilServerCloses(port, request(method, target, port, connection, body == null ? "" : body));
        assertThat(statuses(got)).as(got).containsExactly(status);
        assertLastAnswerCompleteAndAnnouncesClose(got);
    }

    @Test
    void headWhenRequestAsksToCloseThenHeadThenConnectionEnds() {
        String got = untilServerCloses(port, request("HEAD", "/jwks", port, "close", ""));
        assertThat(statuses(got)).as(got).containsExactly(200);
        assertThat(got).as(got).endsWith("\r\n\r\n").containsIgnoringCase("\r\nConnection: close");
    }

    @Test
    void unknownHostWhenRequestAsksToCloseThen421ThenConnectionEnds() {
        String got = untilServerCloses(port, "GET /jwks HTTP/1.1\r\nHost: elsewhere.example\r\nConnection: close\r\n\r\n");
        assertThat(statuses(got)).as(got).containsExactly(421);
        assertLastAnswerCompleteAndAnnouncesClose(got);
    }

    /** Earlier requests on the connection stay kept alive: the close follows the response to the request that asked. */
    @Test
    void requestsWithoutCloseThenConnectionStaysOpenUntilOneAsks() {
        String got = untilServerCloses(port, request("GET", "/jwks", port, "", "")
                + request("GET", "/.well-known/openid-configuration", port, "keep-alive", "")
                + request("GET", "/jwks", port, "close", ""));
        assertThat(statuses(got)).as(got).containsExactly(200, 200, 200);
        assertLastAnswerCompleteAndAnnouncesClose(got);
    }

    @ParameterizedTest(name = "management {0} {1} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            GET  | /health/live  | localhost       | 200
            GET  | /metrics      | localhost       | 200
            GET  | /no/such/path | localhost       | 404
            POST | /health/live  | localhost       | 405
            GET  | /health/live  | other.example   | 421
            """)
    void managementWhenRequestAsksToCloseThenWholeAnswerThenConnectionEnds(String method, String path, String host, int status) {
        String got = untilServerCloses(management, method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + management
                + "\r\nConnection: close\r\n\r\n");
        assertThat(statuses(got)).as(got).containsExactly(status);
        assertLastAnswerCompleteAndAnnouncesClose(got);
    }
}
