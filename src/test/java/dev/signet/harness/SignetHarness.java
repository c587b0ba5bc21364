package dev.signet.harness;

import dev.signet.connector.TestKinds;
import dev.signet.Ids;
import dev.signet.app.Signet;
import dev.signet.config.SignetConfig;
import dev.signet.event.EventAdmin;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts the real Signet (real HTTP on a free port, real SQLite in a temporary directory) with a
 * settable clock. One per test class: start it in {@code @BeforeAll}, close it in {@code @AfterAll}.
 *
 * <p>The YAML given may use {@code ${PORT}} and {@code ${DATA}}; they are replaced before loading.
 * {@code startOnPostgres} runs the same server on PostgreSQL instead of SQLite.
 */
public final class SignetHarness implements AutoCloseable {

    private final Signet signet;
    private final Path data;
    public final MutableClock clock;
    /** Makes the running server's JDBC layer fail, hang or slow down ({@link StoreFaults}). */
    public final StoreFaults storeFaults;
    private final Optional<Postgres.TestDatabase> postgres;
    private final boolean ownsPostgres;

    private SignetHarness(Signet signet, Path data, MutableClock clock, StoreFaults storeFaults, Optional<Postgres.TestDatabase> postgres,
            boolean ownsPostgres) {
        this.signet = signet;
        this.data = data;
        this.clock = clock;
        this.storeFaults = storeFaults;
        this.postgres = postgres;
        this.ownsPostgres = ownsPostgres;
    }

    /**
     * As {@link #start(String)}, on a new PostgreSQL database of its own (see {@link Postgres}),
     * dropped by {@link #close()}. The YAML's {@code data:} section from {@link #server()}
     * ({@code dir: ${DATA}}) is replaced by {@code data.postgres}; other {@code data} keys stay.
     */
    public static SignetHarness startOnPostgres(String yaml) {
        return startOnPostgres(yaml, Map.of());
    }

    public static SignetHarness startOnPostgres(String yaml, Map<String, String> extraEnv) {
        Postgres.TestDatabase db = Postgres.create();
        try {
            return start(yaml, extraEnv, List.of(), Optional.of(db), true);
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    /**
     * On the PostgreSQL database {@code db}, which the caller created and drops: several harnesses
     * on one database are several nodes of one deployment.
     */
    public static SignetHarness startOnPostgres(String yaml, Postgres.TestDatabase db, Map<String, String> extraEnv) {
        return start(yaml, extraEnv, List.of(), Optional.of(db), false);
    }

    /** The PostgreSQL database this server runs on, when started with {@code startOnPostgres}. */
    public Optional<Postgres.TestDatabase> postgres() {
        return postgres;
    }

    public static SignetHarness start(String yaml) {
        return start(yaml, Map.of());
    }

    public static SignetHarness start(String yaml, Map<String, String> extraEnv) {
        return start(yaml, extraEnv, List.of());
    }

    /**
     * {@code spanExporters} receive every span (tests pass an in-memory exporter). Unless the YAML
     * has its own {@code management:} section, the management listener takes a free port, so
     * several harnesses never fight over the default one; unless it has a {@code probes:} section,
     * the built-in probes are off; unless it sets {@code server.drain}, closing does not wait for a
     * load balancer (drain 0s).
     */
    public static SignetHarness start(String yaml, Map<String, String> extraEnv, List<SpanExporter> spanExporters) {
        return start(yaml, extraEnv, spanExporters, Optional.empty(), false);
    }

    private static SignetHarness start(String yaml, Map<String, String> extraEnv, List<SpanExporter> spanExporters,
            Optional<Postgres.TestDatabase> postgres, boolean ownsPostgres) {
        if (postgres.isPresent()) {
            yaml = onPostgres(yaml);
        }
        if (!yaml.contains("\nmanagement:") && !yaml.startsWith("management:")) {
            yaml = yaml + (yaml.endsWith("\n") ? "" : "\n") + "management:\n  port: 0\n";
        }
        if (!yaml.contains("drain:") && yaml.startsWith("server:\n")) {
            yaml = yaml.replaceFirst("server:\n", "server:\n  drain: 0s\n"); // no readiness drain on close unless a test asks for one
        }
        if (!yaml.contains("\nprobes:") && !yaml.startsWith("probes:")) {
            yaml = yaml + "probes:\n  enabled: false\n"; // probe sign-ins would add users, sessions and events to every test
        }
        try {
            Path data = Files.createTempDirectory("signet-test");
            int port = freePort();
            Map<String, String> env = new HashMap<>(extraEnv);
            // SIGNET_CRYPTO=jdk in the test JVM's environment runs every server on the JDK's providers (issue 16)
            String crypto = System.getenv(dev.signet.keys.SignatureProvider.ENV);
            if (crypto != null && !env.containsKey(dev.signet.keys.SignatureProvider.ENV)) {
                env.put(dev.signet.keys.SignatureProvider.ENV, crypto);
            }
            env.put("PORT", String.valueOf(port));
            env.put("DATA", data.toString());
            postgres.ifPresent(db -> env.putAll(db.env()));
            SignetConfig config = Signet.configLoader(env, TestKinds.REGISTRY).parse(yaml, "test.yaml");
            MutableClock clock = new MutableClock();
            StoreFaults faults = new StoreFaults();
            Signet signet = Signet.start(config, new Signet.Options(env, clock, Ids.secure()).withKinds(TestKinds.REGISTRY).withStoreGate(faults)
                    .withSpanExporters(spanExporters));
            return new SignetHarness(signet, data, clock, faults, postgres, ownsPostgres);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final String DATA_DIR = "data:\n  dir: ${DATA}\n";

    /** The YAML with its {@code data.dir} (from {@link #server()}) replaced by {@link Postgres.TestDatabase#yaml()}. */
    private static String onPostgres(String yaml) {
        if (!yaml.contains(DATA_DIR)) {
            throw new IllegalArgumentException("startOnPostgres needs the data section of SignetHarness.server() (data: dir: ${DATA})");
        }
        String pg = Postgres.TestDatabase.yaml();
        return yaml.replace(DATA_DIR, pg.endsWith("\n") ? pg : pg + "\n");
    }

    /** A config header binding Signet to the harness port and data directory. */
    public static String server() {
        return """
                server:
                  host: 127.0.0.1
                  port: ${PORT}
                data:
                  dir: ${DATA}
                """;
    }

    /** Outbox gauges, redelivery and the audit log of the running server. */
    public EventAdmin events() {
        return signet.events();
    }

    /** Lets the outbox relay run now instead of at its next poll. */
    public void wakeRelay() {
        signet.wakeRelay();
    }

    /** The running Signet itself (reload, snapshot). */
    public Signet app() {
        return signet;
    }

    public URI issuer() {
        return signet.issuer();
    }

    /** A URL on the management listener (metrics, health, probes). */
    public URI management(String path) {
        return URI.create("http://127.0.0.1:" + signet.managementPort().orElseThrow() + path);
    }

    public URI url(String path) {
        return URI.create(signet.issuer() + path);
    }

    /** The data directory Signet was started with (holds {@code signet.db}), for tests that inspect the store. */
    public Path dataDir() {
        return data;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /** Stops Signet and removes its data directory; a second call does nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            signet.close();
        } finally {
            if (ownsPostgres) {
                postgres.ifPresent(Postgres.TestDatabase::close);
            }
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
