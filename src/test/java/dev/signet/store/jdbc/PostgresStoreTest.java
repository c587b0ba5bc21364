package dev.signet.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

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
