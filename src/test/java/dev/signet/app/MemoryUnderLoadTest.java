package dev.signet.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.harness.SignetHarness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node on a small heap keeps serving while more clients hold connections open than its heap could
 * take (app.MemoryBudget, web.ConnectionLimits): a separate JVM with the launcher's collector,
 * {@code -Xmx40m} and {@code -XX:+ExitOnOutOfMemoryError}, and 2,500 connections that each send a
 * request and stay open. Unbounded, they hold ~38 MB of its heap and the node exits (status 3); bounded
 * to its default (a fifth of the heap: ~500), the rest wait in the kernel's queue, the node stays up
 * and its management listener (its own limit) still answers.
 */
class MemoryUnderLoadTest {

    static final int CLIENTS = 2_500;

    @Test
    void nodeOnSmallHeapSurvivesMoreOpenConnectionsThanItsHeapHolds(@TempDir Path dir) throws Exception {
        int port = SignetHarness.freePort();
        int management = SignetHarness.freePort();
        Path config = dir.resolve("signet.yaml");
        Files.writeString(config, """
                server: {host: 127.0.0.1, port: %d, drain: 0s}
                data: {dir: %s}
                management: {host: 127.0.0.1, port: %d}
                probes: {enabled: false}
                tenants:
                  - name: default
                    connections: [{id: dev, kind: dev-unsafe}]
                """.formatted(port, dir.resolve("data"), management));
        String java = ProcessHandle.current().info().command().orElseThrow();
        Path log = dir.resolve("node.log");
        Process node = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC", "-Xms16m", "-Xmx40m", "-XX:+ExitOnOutOfMemoryError",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.signet.cli.Main", "serve", "--config",
                config.toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            URI live = URI.create("http://127.0.0.1:" + management + "/health/live");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(node.isAlive()).as("node exited: " + Files.readString(log)).isTrue();
                return status(http, live) == 200;
            });
            AtomicInteger connected = new AtomicInteger();
            byte[] request = ("GET /.well-known/openid-configuration HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < CLIENTS; i++) {
                    clients.submit(() -> {
                        Socket s = new Socket();
                        open.add(s);
                        // beyond the limit and the accept queue the kernel drops the handshake: that client waits, as it should
                        s.connect(new InetSocketAddress("127.0.0.1", port), 3_000);
                        s.getOutputStream().write(request);
                        connected.incrementAndGet();
                        return null;
                    });
                }
                clients.shutdown();
                assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(connected.get()).as("connections made").isGreaterThan(500);
            // the node took what its limit allows and is still there, answering on its management listener
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(node.isAlive()).as("node exited (status 3 is OutOfMemoryError): " + tail(log)).isTrue();
                return status(http, live) == 200;
            });
            assertThat(node.isAlive()).isTrue();
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError").contains("\"max_connections\":");
        } finally {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing a client socket of the test: nothing to do
                }
            }
            node.destroy();
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String tail(Path log) throws IOException {
        String s = Files.readString(log);
        return s.substring(Math.max(0, s.length() - 2_000));
    }
}
