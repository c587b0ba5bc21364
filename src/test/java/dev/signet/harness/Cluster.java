package dev.signet.harness;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Several Signet nodes, each a separate JVM process ({@code signet serve}) on its own port, sharing
 * one PostgreSQL database (a fresh one per cluster, {@link Postgres}), behind a real {@link Haproxy}. One per test class: start it in {@code @BeforeAll},
 * close it in {@code @AfterAll}; a JVM shutdown hook kills the processes if the class never gets
 * there, so no node outlives the test run.
 *
 * <p>The YAML body given (tenants, events, ...) is appended to a header the cluster writes
 * ({@link #header}); it may use {@code ${VAR}} for anything in {@code env}, which every node gets
 * in its environment along with {@code NODE_PORT}, {@code MGMT_PORT}, {@code PUBLIC_URL} (HAProxy's
 * address: the issuer of every node) and the database's {@code SIGNET_PG_URL}, {@code SIGNET_PG_USER},
 * {@code SIGNET_PG_PASSWORD}.
 */
public final class Cluster implements AutoCloseable {

    /** How to run one node: the command before {@code serve --config FILE}. */
    public record Launch(String name, List<String> command) {
        /** The build under test: this JVM's java and class path. */
        public static Launch current() {
            return new Launch("current", List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m",
                    "-cp", System.getProperty("java.class.path"), "dev.signet.cli.Main"));
        }

        /** A built jar (an older version: {@link OldBuild}). */
        public static Launch jar(String name, Path jar) {
            return new Launch(name, List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar", jar.toString()));
        }

        /** The JDK that runs the tests (25), never the machine's default java. */
        static String java() {
            return ProcessHandle.current().info().command().orElseThrow(() -> new AssertionError("cannot tell which java runs the tests"));
        }
    }

    /** One node: its HAProxy server name ({@code n1}, ...), ports, and the process while it runs. */
    public static final class Node {
        public final String name;
        public final int port;
        public final int managementPort;
        private final Path dir;
        private volatile Process process;
        private volatile Launch launch;
        private int starts;

        Node(String name, int port, int managementPort, Path dir) {
            this.name = name;
            this.port = port;
            this.managementPort = managementPort;
            this.dir = dir;
        }

        public Launch launch() {
            return launch;
        }

        public boolean alive() {
            Process p = process;
            return p != null && p.isAlive();
        }

        /** This node's log (stdout and stderr of every start so far). */
        public String log() {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= starts; i++) {
                try {
                    b.append(Files.readString(dir.resolve("node-" + i + ".log")));
                } catch (IOException e) {
                    b.append("(log ").append(i).append(" unreadable: ").append(e).append(")\n");
                }
            }
            return b.toString();
        }

        URI management(String path) {
            return URI.create("http://127.0.0.1:" + managementPort + path);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path dir;
    private final Postgres.TestDatabase database;
    private final Path config;
    private final Map<String, String> env;
    private final List<Node> nodes;
    private final Haproxy haproxy;
    private final Thread reaper;

    private Cluster(Path dir, Postgres.TestDatabase database, Path config, Map<String, String> env, List<Node> nodes, Haproxy haproxy,
            Thread reaper) {
        this.dir = dir;
        this.database = database;
        this.config = config;
        this.env = env;
        this.nodes = nodes;
        this.haproxy = haproxy;
        this.reaper = reaper;
    }

    /**
     * Starts {@code count} nodes running {@code launch} and HAProxy in front of them, and returns
     * once every node is ready and in HAProxy's rotation. The first node starts alone (it migrates
     * the database and creates the signing keys), then the others together.
     */
    public static Cluster start(int count, String yamlBody, Map<String, String> env, Launch launch) {
        Postgres.TestDatabase database = Postgres.create();
        try {
            Path dir = Files.createTempDirectory("signet-cluster");
            List<Node> nodes = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                Path nodeDir = Files.createDirectories(dir.resolve("n" + i));
                nodes.add(new Node("n" + i, SignetHarness.freePort(), SignetHarness.freePort(), nodeDir));
            }
            Haproxy haproxy;
            try {
                haproxy = Haproxy.start(dir, nodes.stream().map(n -> new Haproxy.Server(n.name, n.port, n.managementPort)).toList());
            } catch (RuntimeException | Error e) {
                database.close();
                throw e;
            }
            Map<String, String> all = new HashMap<>(env);
            all.put("PUBLIC_URL", "http://localhost:" + haproxy.port);
            all.putAll(database.env());
            Path config = dir.resolve("signet.yaml");
            Files.writeString(config, header() + yamlBody);
            Thread reaper = new Thread(() -> {
                nodes.forEach(n -> {
                    if (n.process != null) {
                        n.process.destroyForcibly();
                    }
                });
                haproxy.close();
                database.close();
                delete(dir);
            }, "signet-cluster-reaper");
            Runtime.getRuntime().addShutdownHook(reaper);
            Cluster c = new Cluster(dir, database, config, Map.copyOf(all), nodes, haproxy, reaper);
            try {
                c.start(0, launch);
                CompletableFuture.allOf(IntStream.range(1, count).mapToObj(i -> CompletableFuture.runAsync(() -> c.start(i, launch)))
                        .toArray(CompletableFuture[]::new)).join();
            } catch (RuntimeException | Error e) {
                c.close();
                throw e;
            }
            return c;
        } catch (IOException e) {
            database.close();
            throw new UncheckedIOException(e);
        }
    }

    /** What every node's configuration starts with: its ports, the shared issuer and store, no probes, no rate limits. */
    static String header() {
        return """
                server:
                  host: 127.0.0.1
                  port: ${NODE_PORT}
                  public_url: ${PUBLIC_URL}
                data:
                  postgres:
                    url: ${SIGNET_PG_URL}
                    user: ${SIGNET_PG_USER}
                    password: ${SIGNET_PG_PASSWORD}
                    pool_size: 5
                management:
                  port: ${MGMT_PORT}
                probes:
                  enabled: false
                rate_limits:
                  enabled: false
                """;
    }

    /** Starts node {@code i} (again) with {@code launch} on its ports; returns once it is ready and HAProxy sends to it. */
    public void start(int i, Launch launch) {
        Node n = nodes.get(i);
        if (n.alive()) {
            throw new IllegalStateException(n.name + " is running");
        }
        List<String> cmd = new ArrayList<>(launch.command());
        cmd.addAll(List.of("serve", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(n.dir.resolve("node-" + (++n.starts) + ".log").toFile());
        pb.environment().putAll(env);
        pb.environment().put("NODE_PORT", String.valueOf(n.port));
        pb.environment().put("MGMT_PORT", String.valueOf(n.managementPort));
        try {
            n.process = pb.start();
            n.launch = launch;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!n.alive()) {
                throw new AssertionError(n.name + " (" + launch.name() + ") exited with " + n.process.exitValue() + ":\n" + tail(n.log()));
            }
            return ready(n);
        });
        awaitStatus(n, "UP");
    }

    /** {@code kill -9}: the node dies at once, mid-request (nothing drains). */
    public void kill(int i) {
        Node n = nodes.get(i);
        n.process.destroyForcibly();
        waitFor(n, Duration.ofSeconds(10));
    }

    /** SIGTERM, as an orchestrator stops a node; returns when the process has exited (after draining). */
    public int stop(int i) {
        Node n = nodes.get(i);
        n.process.destroy();
        return waitFor(n, Duration.ofSeconds(60));
    }

    private static int waitFor(Node n, Duration max) {
        try {
            if (!n.process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                n.process.destroyForcibly().waitFor();
                throw new AssertionError(n.name + " did not exit within " + max + ":\n" + tail(n.log()));
            }
            return n.process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until HAProxy reports node {@code n} as {@code status} ({@code UP}, {@code DOWN}). */
    public void awaitStatus(Node n, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> haproxy.status().getOrDefault(n.name, "").startsWith(status));
    }

    private static boolean ready(Node n) {
        try {
            return HTTP.send(HttpRequest.newBuilder(n.management("/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Node node(int i) {
        return nodes.get(i);
    }

    public int size() {
        return nodes.size();
    }

    public Haproxy haproxy() {
        return haproxy;
    }

    /** The issuer every node serves: HAProxy's address. */
    public URI issuer() {
        return URI.create(env.get("PUBLIC_URL"));
    }

    /** A URL through HAProxy. */
    public URI url(String path) {
        return URI.create(issuer() + path);
    }

    /**
     * Node {@code i}'s own port, to talk to it bypassing HAProxy: {@code http://localhost:PORT} is the
     * shared issuer's domain too (a domain is looked up by host name; the port is not part of it).
     */
    public int directPort(int i) {
        return nodes.get(i).port;
    }

    /** A plain JDBC connection to the database the nodes share (tests read the outbox through it). */
    public java.sql.Connection database() {
        return database.connect();
    }

    /**
     * The ERROR lines of every node's log so far. HAProxy's retries hide a node that fails a
     * request with a 503 (a store error, say, from a migration the old version cannot live with)
     * as long as another node serves it, so tests that must see such failures look here.
     */
    public List<String> errors() {
        return nodes.stream().flatMap(n -> n.log().lines().filter(l -> l.contains("\"level\":\"ERROR\"")).map(l -> n.name + ": " + l))
                .toList();
    }

    /** Every node's log and HAProxy's, for a failure message. */
    public String logs() {
        StringBuilder b = new StringBuilder();
        for (Node n : nodes) {
            b.append("==== ").append(n.name).append('\n').append(tail(n.log()));
        }
        return b.append("==== haproxy\n").append(tail(haproxy.log())).toString();
    }

    static String tail(String log) {
        String[] lines = log.split("\n");
        return String.join("\n", Stream.of(lines).skip(Math.max(0, lines.length - 40)).toList()) + "\n";
    }

    /** Stops every node (SIGTERM, then kill after a grace) and HAProxy, drops the database and removes the cluster's directory. */
    @Override
    public void close() {
        for (Node n : nodes) {
            if (n.process != null) {
                n.process.destroy();
            }
        }
        for (Node n : nodes) {
            if (n.process != null) {
                try {
                    if (!n.process.waitFor(30, TimeUnit.SECONDS)) {
                        n.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    n.process.destroyForcibly();
                }
            }
        }
        haproxy.close();
        database.close();
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
        delete(dir);
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
