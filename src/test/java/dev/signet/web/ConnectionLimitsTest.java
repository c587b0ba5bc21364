package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.signet.harness.SignetHarness;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Open connections are bounded (each holds heap: unbounded, clients that keep theirs open made the
 * 80 MiB node exit on OutOfMemoryError) and an idle one is closed: {@code server.max_connections} and
 * {@code server.idle_timeout}, through the running server with raw sockets. The default bound:
 * {@code app.MemoryBudgetTest}.
 */
class ConnectionLimitsTest {

    static final int LIMIT = 4;
    static SignetHarness signet;
    static int port;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start("""
                server:
                  host: 127.0.0.1
                  port: ${PORT}
                  max_connections: 4
                  idle_timeout: 2s
                data:
                  dir: ${DATA}
                tenants:
                  - name: default
                    connections: [{id: dev, kind: dev-unsafe}]
                """);
        port = signet.issuer().getPort();
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    @Test
    void idleConnectionsAreLookedForEverySixthOfTheTimeoutWithinBounds() {
        assertThat(ConnectionLimits.checkEvery(Duration.ofSeconds(75))).isEqualTo(Duration.ofMillis(12_500));
        assertThat(ConnectionLimits.checkEvery(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(15));
        assertThat(ConnectionLimits.checkEvery(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void connectionBeyondTheLimitWaitsUntilIdleOnesAreClosedThenIsAnswered() throws IOException {
        List<Socket> held = new ArrayList<>();
        try (Socket extra = new Socket()) {
            for (int i = 0; i < LIMIT; i++) {
                Socket s = new Socket("127.0.0.1", port);
                held.add(s);
                assertThat(exchange(s)).startsWith("HTTP/1.1 200");
            }
            // the kernel completes the handshake (accept queue); Signet does not take the connection while 4 are open
            extra.connect(new java.net.InetSocketAddress("127.0.0.1", port));
            extra.getOutputStream().write(request());
            extra.setSoTimeout(700);
            assertThatThrownBy(() -> extra.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            // after idle_timeout (2 s) the held connections are closed by Signet, and the waiting one is answered
            extra.setSoTimeout(15_000);
            assertThat(response(extra.getInputStream())).startsWith("HTTP/1.1 200");
            for (Socket s : held) {
                s.setSoTimeout(15_000);
                assertThat(s.getInputStream().read()).as("closed by Signet when idle").isEqualTo(-1);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void connectionInUseIsNotClosedWhileIdleOnesAre() throws IOException {
        // a connection with a request every 500 ms stays open for 3 idle timeouts
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            int answered = 0;
            while (System.nanoTime() < until) {
                assertThat(exchange(s)).startsWith("HTTP/1.1 200");
                answered++;
                await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(1)).until(() -> true);
            }
            assertThat(answered).isGreaterThan(8);
        }
    }

    private static String exchange(Socket s) throws IOException {
        s.getOutputStream().write(request());
        return response(s.getInputStream());
    }

    private static byte[] request() {
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
