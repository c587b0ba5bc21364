package dev.signet.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, for tests that stop and start it (a restart under a
 * running Signet) without touching the shared server of {@link Postgres}: {@code initdb} into a
 * temporary directory, {@code pg_ctl start} on a free loopback port, role {@code signet} /
 * {@code signet} with CREATEDB. PostgreSQL refuses to run as root, so as root every command runs
 * as the {@code postgres} user ({@code su postgres -c}, Debian's package creates that user); as
 * any other user, directly. The binaries are Debian's ({@code /usr/lib/postgresql/<newest>/bin})
 * unless {@code SIGNET_TEST_PG_BIN} names a directory.
 *
 * <p>One per test class; {@link #close()} stops it and deletes its directory.
 */
public final class PostgresServer implements AutoCloseable {

    private static final long WAIT_SECONDS = 120;

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;
    private final List<String> settings;

    private PostgresServer(Path dir, Path bin, int port, boolean asPostgresUser, List<String> settings) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
        this.settings = List.copyOf(settings);
    }

    /**
     * Creates the cluster and starts it; fails the test with the reason when that is impossible here.
     * {@code settings} are extra server settings ({@code name=value}, e.g.
     * {@code shared_preload_libraries=pg_stat_statements}).
     */
    public static PostgresServer start(String... settings) {
        for (String s : settings) {
            if (!s.matches("[a-z_.]+=[A-Za-z0-9_.,]+")) {
                throw new IllegalArgumentException("a setting is name=value: " + s);
            }
        }
        Path bin = binaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("signet-pg-");
            if (root) {
                UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
                PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
                view.setOwner(users.lookupPrincipalByName("postgres"));
                GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
                view.setGroup(group);
            }
            PostgresServer server = new PostgresServer(dir, bin, SignetHarness.freePort(), root, List.of(settings));
            server.run(bin.resolve("initdb") + " -D " + server.data() + " -U postgres --auth=trust -E UTF8 --no-sync --no-instructions");
            server.startAgain();
            try (Connection c = Postgres.connect(server.url("postgres"), "postgres", ""); Statement st = c.createStatement()) {
                st.execute("CREATE ROLE signet LOGIN CREATEDB PASSWORD 'signet'");
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("the private PostgreSQL server started but refused the setup: " + e.getMessage(), e);
        }
    }

    /** A superuser connection (role postgres, trust) to {@code database} on this server, e.g. to create an extension. */
    public Connection superuser(String database) {
        return Postgres.connect(url(database), "postgres", "");
    }

    /** The JDBC URL of {@code database} on this server. */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** A new database on this server, owned by role signet. */
    public Postgres.TestDatabase createDatabase() {
        return Postgres.create(url("postgres"), "signet", "signet");
    }

    /** Stops the server the way an operator's restart does ({@code pg_ctl stop -m fast}: sessions are terminated). */
    public void stop() {
        run(bin.resolve("pg_ctl") + " -D " + data() + " -w -t " + WAIT_SECONDS + " -m fast stop");
    }

    /** Starts the (stopped) server again on the same port and data. */
    public void startAgain() {
        run(bin.resolve("pg_ctl") + " -D " + data() + " -l " + dir.resolve("server.log") + " -w -t " + WAIT_SECONDS
                + " -o '-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir + " -c fsync=off"
                + settings.stream().map(s -> " -c " + s).reduce("", String::concat) + "' start");
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void run(String command) {
        List<String> argv = new ArrayList<>(asPostgresUser ? List.of("su", "postgres", "-c", command) : List.of("sh", "-c", command));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("`" + command + "` failed" + (asPostgresUser ? " (as user postgres)" : "") + ":\n" + out
                        + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    private String log() {
        try {
            Path log = dir.resolve("server.log");
            return Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static Path binaries() {
        String configured = System.getenv("SIGNET_TEST_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.isDirectory(debian) ? Files.list(debian) : Stream.empty()) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                    .map(v -> v.resolve("bin"))
                    .orElseThrow(() -> new AssertionError("this test runs a PostgreSQL server of its own and needs initdb/pg_ctl:"
                            + " install Debian's postgresql (`.ci/run` does) or set SIGNET_TEST_PG_BIN to their directory"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (if running) and deletes its directory. */
    @Override
    public void close() {
        try {
            run(bin.resolve("pg_ctl") + " -D " + data() + " -w -t " + WAIT_SECONDS + " -m immediate stop || true");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
