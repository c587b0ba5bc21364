package dev.signet.harness;

import dev.signet.config.DataSettings.PostgresSettings;
import dev.signet.config.Secret;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server for tests: each test class creates its own database
 * ({@code CREATE DATABASE signet_test_<time>_<random>}) through an admin URL and drops it after.
 *
 * <ul>
 *   <li>{@code SIGNET_TEST_PG_URL}: the admin URL, default {@value #DEFAULT_URL} (any database the
 *       role may connect to; the test databases are created next to it);
 *   <li>{@code SIGNET_TEST_PG_USER} / {@code SIGNET_TEST_PG_PASSWORD}: default {@code signet} /
 *       {@code signet}; the role needs {@code CREATEDB}.
 * </ul>
 *
 * When PostgreSQL cannot be reached the test <b>fails</b> with a message saying how to start it
 * ({@code .ci/run} does); it is never skipped silently.
 *
 * <pre>{@code
 * static Postgres.TestDatabase pg;
 * @BeforeAll static void create() { pg = Postgres.create(); }
 * @AfterAll static void drop() { pg.close(); }
 * ... Database.openPostgres(pg.settings(), Duration.ofSeconds(2), ConnectionGate.OPEN)
 * }</pre>
 */
public final class Postgres {

    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    /** Test databases left behind by a killed JVM are dropped by a later {@link #create} once this old. */
    static final Duration ORPHAN_AGE = Duration.ofHours(6);
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(\\?.*)?");
    private static final Pattern TEST_DB = Pattern.compile("signet_test_(\\d+)_[0-9a-f]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Postgres() {}

    /** The admin URL (from {@code SIGNET_TEST_PG_URL}). */
    public static String adminUrl() {
        return env("SIGNET_TEST_PG_URL", DEFAULT_URL);
    }

    public static String user() {
        return env("SIGNET_TEST_PG_USER", "signet");
    }

    public static String password() {
        return env("SIGNET_TEST_PG_PASSWORD", "signet");
    }

    /** A new, empty database of its own; {@link TestDatabase#close()} drops it. */
    public static TestDatabase create() {
        return create(adminUrl(), user(), password());
    }

    /** As {@link #create()}, on the server of {@code adminUrl} (e.g. a {@link PostgresServer} of the test's own). */
    public static TestDatabase create(String adminUrl, String user, String password) {
        String name = "signet_test_" + Instant.now().getEpochSecond() + "_" + HexFormat.of().formatHex(randomBytes());
        try (Connection c = connect(adminUrl, user, password); Statement st = c.createStatement()) {
            dropOrphans(st);
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " at " + adminUrl + ": " + e.getMessage(), e);
        }
        return new TestDatabase(name, urlOf(adminUrl, name), adminUrl, user, password);
    }

    /** The URL of database {@code name} on the server of {@code adminUrl} (same host, port and parameters). */
    public static String urlOf(String adminUrl, String name) {
        Matcher m = URL.matcher(adminUrl);
        if (!m.matches()) {
            throw new IllegalStateException("not jdbc:postgresql://host:port/database: " + adminUrl);
        }
        return m.group(1) + name + Optional.ofNullable(m.group(3)).orElse("");
    }

    /**
     * A connection to the admin database. Fails the test (an {@link AssertionError}, not a skip)
     * with instructions when PostgreSQL is unreachable or refuses the role.
     */
    public static Connection admin() {
        return connect(adminUrl(), user(), password());
    }

    static Connection connect(String url, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        try {
            return DriverManager.getConnection(url, p);
        } catch (SQLException e) {
            throw new AssertionError("""
                    PostgreSQL is needed by this test but is not usable at %s as role %s: %s
                    Start it the way CI does: `sudo .ci/run` installs Debian's postgresql when missing, starts the packaged \
                    cluster (pg_ctlcluster <version> main start) on 127.0.0.1 and creates the role signet/signet with CREATEDB.
                    By hand: pg_ctlcluster 15 main start && su postgres -c "psql -c \\"CREATE ROLE signet LOGIN CREATEDB PASSWORD 'signet'\\"".
                    Or point SIGNET_TEST_PG_URL (and SIGNET_TEST_PG_USER / SIGNET_TEST_PG_PASSWORD) at a server where the role may \
                    CREATE DATABASE.""".formatted(url, user, e.getMessage()), e);
        }
    }

    private static void dropOrphans(Statement st) throws SQLException {
        List<String> old = new ArrayList<>();
        long cutoff = Instant.now().minus(ORPHAN_AGE).getEpochSecond();
        try (ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'signet_test_%'")) {
            while (rs.next()) {
                Matcher m = TEST_DB.matcher(rs.getString(1));
                if (m.matches() && Long.parseLong(m.group(1)) < cutoff) {
                    old.add(rs.getString(1));
                }
            }
        }
        for (String name : old) {
            st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** One test database: its name, JDBC URL and credentials. Closing drops it (also with connections still open). */
    public record TestDatabase(String name, String url, String adminUrl, String user, String password) implements AutoCloseable {

        /** {@code data.postgres} for this database with a pool of 10. */
        public PostgresSettings settings() {
            return settings(PostgresSettings.DEFAULT_POOL_SIZE);
        }

        public PostgresSettings settings(int poolSize) {
            return new PostgresSettings(url, user, Optional.of(new Secret(password)), poolSize);
        }

        /**
         * A {@code data:} section for a Signet configuration on this database; the values come from
         * the variables of {@link #env()} ({@code ${SIGNET_PG_URL}}, {@code ${SIGNET_PG_USER}},
         * {@code ${SIGNET_PG_PASSWORD}}), as an operator would write it.
         */
        public static String yaml() {
            return """
                    data:
                      postgres:
                        url: ${SIGNET_PG_URL}
                        user: ${SIGNET_PG_USER}
                        password: ${SIGNET_PG_PASSWORD}
                    """;
        }

        /** The environment {@link #yaml()} refers to. */
        public Map<String, String> env() {
            return Map.of("SIGNET_PG_URL", url, "SIGNET_PG_USER", user, "SIGNET_PG_PASSWORD", password);
        }

        /** A plain JDBC connection (auto-commit) to this database, bypassing Signet, for tests that inspect it. */
        public Connection connect() {
            return Postgres.connect(url, user, password);
        }

        @Override
        public void close() {
            try (Connection c = Postgres.connect(adminUrl, user, password); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
            }
        }
    }
}
