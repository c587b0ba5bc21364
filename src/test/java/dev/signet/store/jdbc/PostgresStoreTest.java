package dev.signet.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.signet.Reason;
import dev.signet.UnavailableException;
import dev.signet.store.User;
import java.time.Instant;
import java.util.Optional;

import dev.signet.harness.Postgres;
import dev.signet.store.StoreConformance;
import dev.signet.store.Stores;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store conformance suite on a real PostgreSQL server (a database of its own, see
 * {@link Postgres}), plus what only PostgreSQL has: the pool's session settings.
 */
class PostgresStoreTest extends StoreConformance {

    private static Postgres.TestDatabase pg;

    @BeforeAll
    static void createDatabase() {
        pg = Postgres.create();
    }

    @AfterAll
    static void dropDatabase() {
        if (pg != null) {
            pg.close();
        }
    }

    @Override
    protected Stores open() {
        Database db = Database.openPostgres(pg.settings(), Duration.ofSeconds(2), ConnectionGate.OPEN);
        return JdbcStores.of(db);
    }

    @Test
    void openPostgresWhenOpenedThenReadCommittedWithStatementAndLockTimeouts() {
        try (Database db = Database.openPostgres(pg.settings(), Duration.ofMillis(1500), ConnectionGate.OPEN)) {
            String settings = db.read(tx -> Sql.one(tx, "SELECT current_setting('transaction_isolation') || ' '"
                    + " || current_setting('statement_timeout') || ' ' || current_setting('lock_timeout')", rs -> rs.getString(1)))
                    .orElseThrow();
            assertThat(settings).isEqualTo("read committed 1500ms 1500ms");
            assertThat(db.dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
        }
    }

    @Test
    void writeWhenRowLockedByAnotherTransactionThenUnavailableAfterTheLockTimeout() throws SQLException {
        User u = new User("u-" + System.nanoTime(), "locks", Optional.empty(), false, Optional.empty(), Optional.empty(),
                Instant.parse("2030-01-02T03:04:05.678Z"));
        try (Database db = Database.openPostgres(pg.settings(), Duration.ofMillis(500), ConnectionGate.OPEN);
                Connection other = pg.connect()) {
            db.write(tx -> {
                new JdbcUsers().create(tx, u);
                return true;
            });
            other.setAutoCommit(false);
            try (Statement st = other.createStatement()) {
                st.executeUpdate("UPDATE users SET name = 'held' WHERE id = '" + u.id() + "'"); // holds the row lock, uncommitted
            }
            long start = System.nanoTime();

            assertThatExceptionOfType(UnavailableException.class)
                    .isThrownBy(() -> db.write(tx -> {
                        new JdbcUsers().updateProfile(tx, u);
                        return true;
                    }))
                    .satisfies(e -> assertThat(e.reason()).isEqualTo(Reason.STORE_UNAVAILABLE))
                    .satisfies(e -> assertThat(e.getCause()).isInstanceOfSatisfying(SQLException.class,
                            sql -> assertThat(sql.getSQLState()).as("the server ended the wait at data.timeout: lock_timeout (55P03) or"
                                    + " statement_timeout (57014), not the socket timeout").isIn("55P03", "57014")));
            // data.timeout (here 500 ms) bounds the wait; generous for a loaded machine
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            other.rollback();
            Optional<User> after = db.read(tx -> new JdbcUsers().byId(tx, "locks", u.id()));
            assertThat(after).contains(u); // the pool is still usable
        }
    }

    @Test
    void openPostgresWhenReopenedThenMigrationsNotRepeated() throws SQLException {
        Database.openPostgres(pg.settings(), Duration.ofSeconds(2), ConnectionGate.OPEN).close();
        String applied = historyRows();
        Database.openPostgres(pg.settings(), Duration.ofSeconds(2), ConnectionGate.OPEN).close();

        assertThat(historyRows()).isEqualTo(applied).isEqualTo(String.valueOf(Database.SCHEMA_VERSION));
    }

    private static String historyRows() throws SQLException {
        try (Connection c = pg.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
