package dev.signet.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy (the Debian package, {@code /usr/sbin/haproxy}) in front of a cluster's nodes:
 * round robin, no stickiness, a health check on each node's {@code /health/ready} (management
 * listener), and L7 retries on another node for a refused connection, an empty answer or a 503 (a
 * draining node), so a node going away costs no request. Each answer carries
 * {@code X-Signet-Node} (the HAProxy server name that served it), which is how tests see which
 * node answered. The configuration written here is the README's example with test timings.
 */
public final class Haproxy implements AutoCloseable {

    /** The response header naming the node that answered. */
    public static final String NODE_HEADER = "X-Signet-Node";
    static final String BINARY = System.getenv().getOrDefault("SIGNET_TEST_HAPROXY", "/usr/sbin/haproxy");

    /** One backend server: its name (the {@link #NODE_HEADER} value), public port and management port. */
    public record Server(String name, int port, int managementPort) {}

    private final Process process;
    private final Path log;
    public final int port;
    private final int statsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Haproxy(Process process, Path log, int port, int statsPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.statsPort = statsPort;
    }

    /** Starts HAProxy on a free port in front of {@code servers}; its config and log go to {@code dir}. */
    public static Haproxy start(Path dir, List<Server> servers) {
        if (!Files.isExecutable(Path.of(BINARY))) {
            throw new AssertionError("HAProxy not found at " + BINARY + ": install it (Debian: apt-get install -y haproxy;"
                    + " .ci/run does) or point SIGNET_TEST_HAPROXY at it");
        }
        try {
            int port = SignetHarness.freePort();
            int statsPort = SignetHarness.freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(port, statsPort, servers));
            Path log = dir.resolve("haproxy.log");
            Process p = new ProcessBuilder(BINARY, "-db", "-f", cfg.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new Haproxy(p, log, port, statsPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The configuration: see README "Running several nodes". Test timings: checks every 500 ms, two
     * failed checks take a node out, one good one brings it back; a check may take 5 s (a node
     * saturated by a loaded machine is slow, not gone: its requests are queued, not refused).
     */
    static String config(int port, int statsPort, List<Server> servers) {
        StringBuilder b = new StringBuilder("""
                global
                    maxconn 4096
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s
                    timeout http-request 10s
                    timeout check 5s
                    option http-buffer-request
                    retries 3
                    option redispatch 1
                    retry-on conn-failure empty-response 503
                frontend signet
                    bind 127.0.0.1:%d
                    default_backend signet_nodes
                backend signet_nodes
                    balance roundrobin
                    option httpchk
                    http-check send meth GET uri /health/ready ver HTTP/1.1 hdr Host 127.0.0.1
                    http-response set-header %s %%[srv_name]
                    default-server check inter 500ms fall 2 rise 1
                """.formatted(port, NODE_HEADER));
        for (Server s : servers) {
            b.append("    server ").append(s.name()).append(" 127.0.0.1:").append(s.port()).append(" port ")
                    .append(s.managementPort()).append('\n');
        }
        b.append("""
                listen stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                """.formatted(statsPort));
        return b.toString();
    }

    /** What HAProxy thinks of each server right now ({@code UP}, {@code DOWN}, ...), from its stats page. */
    public Map<String, String> status() {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            String[] lines = r.body().split("\n");
            List<String> header = Arrays.asList(lines[0].replaceFirst("^# ", "").split(","));
            int px = header.indexOf("pxname");
            int sv = header.indexOf("svname");
            int st = header.indexOf("status");
            for (String line : lines) {
                String[] f = line.split(",", -1);
                if (f.length > st && f[px].equals("signet_nodes") && !f[sv].equals("BACKEND")) {
                    out.put(f[sv], f[st]);
                }
            }
        } catch (IOException e) {
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
