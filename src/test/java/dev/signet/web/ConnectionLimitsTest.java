package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.harness.Browser;
import dev.signet.harness.SignetHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Open connections are bounded (each holds heap: unbounded, clients that keep theirs open made the
 * 80 MiB node exit on OutOfMemoryError), idle ones are closed after {@code server.idle_timeout}, and
 * near the limit the longest-idle ones are closed first so a new client is not shut out
 * ({@link OpenConnections}); through the running server with raw sockets. The default bound:
 * {@code app.MemoryBudgetTest}; a node on a small heap: {@code app.MemoryUnderLoadTest}.
 */
class ConnectionLimitsTest {

    static final int LIMIT = 4;
    /** max_connections 4, idle_timeout 60 s: only pressure closes an idle connection within a test's time. */
    static SignetHarness limited;
    /** idle_timeout 2 s, no pressure. */
    static SignetHarness idling;

    @BeforeAll
    static void start() {
        limited = SignetHarness.start(config("max_connections: 4\n  idle_timeout: 60s") + """
                management:
                  port: 0
                """);
        idling = SignetHarness.start(config("idle_timeout: 2s"));
    }

    static String config(String server) {
        return """
                server:
                  host: 127.0.0.1
                  port: ${PORT}
                  %s
                data:
                  dir: ${DATA}
                tenants:
                  - name: default
                    connections: [{id: dev, kind: dev-unsafe}]
                """.formatted(server);
    }

    @AfterAll
    static void stop() {
        limited.close();
        idling.close();
    }

    @Test
    void idleConnectionsAreLookedForEverySixthOfTheTimeoutWithinBounds() {
        assertThat(ConnectionLimits.checkEvery(Duration.ofSeconds(75))).isEqualTo(Duration.ofMillis(12_500));
        assertThat(ConnectionLimits.checkEvery(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(15));
        assertThat(ConnectionLimits.checkEvery(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void connectionIdleForTheTimeoutIsClosedBySignet() throws IOException {
        int port = idling.issuer().getPort();
        try (Socket s = new Socket("127.0.0.1", port)) {
            assertThat(exchange(s, port)).startsWith("HTTP/1.1 200");
            s.setSoTimeout(15_000);
            assertThat(s.getInputStream().read()).as("closed by Signet after idle_timeout (2 s)").isEqualTo(-1);
        }
    }

    @Test
    void atTheLimitTheLongestIdleConnectionsAreClosedForANewClientButNotABusyOne() throws IOException {
        int port = limited.issuer().getPort();
        long closedBefore = closedIdle();
        List<Socket> held = new ArrayList<>();
        try (Socket busy = new Socket("127.0.0.1", port); Socket extra = new Socket()) {
            for (int i = 0; i < LIMIT - 1; i++) {
                Socket s = new Socket("127.0.0.1", port);
                held.add(s);
                assertThat(exchange(s, port)).startsWith("HTTP/1.1 200");
            }
            assertThat(exchange(busy, port)).startsWith("HTTP/1.1 200");
            // four open (the limit): a fifth client is answered once the longest idle is closed (not after 60 s)
            extra.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            extra.getOutputStream().write(request(port));
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            int busyAnswers = 0;
            while (System.nanoTime() < until) { // the busy connection is never idle: requests back to back
                assertThat(exchange(busy, port)).as("the busy connection stays open").startsWith("HTTP/1.1 200");
                busyAnswers++;
            }
            extra.setSoTimeout(15_000);
            assertThat(response(extra.getInputStream())).startsWith("HTTP/1.1 200");
            // an idle one was closed to let it in (which one: the longest idle; Helidon counts idle time in whole seconds,
            // so the three held here tie)
            await().atMost(Duration.ofSeconds(10)).until(() -> held.stream().anyMatch(ConnectionLimitsTest::closedBySignet));
            assertThat(busyAnswers).isGreaterThan(10);
            assertThat(exchange(busy, port)).startsWith("HTTP/1.1 200");
            assertThat(closedIdle()).isGreaterThan(closedBefore);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** True when Signet has closed the connection (EOF), false while it is open and quiet. */
    private static boolean closedBySignet(Socket s) {
        try {
            s.setSoTimeout(50);
            return s.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the peer: closed too
        }
    }

    private static long closedIdle() {
        String metrics = new Browser().get(limited.management("/metrics")).body();
        Matcher m = Pattern.compile("(?m)^signet_http_connections_closed_idle_total(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("the counter is exported").isTrue();
        return (long) Double.parseDouble(m.group(1));
    }

    private static String exchange(Socket s, int port) throws IOException {
        s.getOutputStream().write(request(port));
        return response(s.getInputStream());
    }

    private static byte[] request(int port) {
        return ("GET /.well-known/openid-configuration HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads one response with a Content-Length body, leaving the connection ready for the next. */
    private static String response(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) c);
        }
        String h = head.toString();
        int at = h.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
        int length = Integer.parseInt(h.substring(at + 15, h.indexOf("\r\n", at)).trim());
        assertThat(in.readNBytes(length)).hasSize(length);
        return h;
    }
}
