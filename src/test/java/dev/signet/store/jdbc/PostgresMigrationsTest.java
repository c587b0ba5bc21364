package dev.signet.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Postgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Several nodes starting at once on a new PostgreSQL database: Flyway's advisory lock lets one
 * migrate while the others wait, so all start and every migration is applied exactly once.
 */
class PostgresMigrationsTest {

    private static final int NODES = 3;

    @Test
    void openPostgresWhenThreeNodesStartTogetherOnNewDatabaseThenAllSucceedAndSchemaMigratedOnce() throws Exception {
        try (Postgres.TestDatabase pg = Postgres.create()) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Database>> starts = new ArrayList<>();
            try (ExecutorService nodes = Executors.newFixedThreadPool(NODES)) {
                for (int i = 0; i < NODES; i++) {
                    starts.add(nodes.submit(() -> {
                        go.await();
                        return Database.openPostgres(pg.settings(2), Duration.ofSeconds(2), ConnectionGate.OPEN);
                    }));
                }
                go.countDown();
                List<Database> opened = new ArrayList<>();
                try {
                    for (Future<Database> f : starts) {
                        opened.add(f.get(120, TimeUnit.SECONDS)); // throws if any node failed to start
                    }
                    for (Database db : opened) { // each node works on the migrated schema
                        List<dev.signet.store.StoredKey> keys = db.read(tx -> new JdbcKeys().all(tx, "default"));
                        assertThat(keys).isEmpty();
                    }
                } finally {
                    opened.forEach(Database::close);
                }
            }

            try (Connection c = pg.connect(); Statement st = c.createStatement()) {
                assertThat(list(st, "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank"))
                        .as("every migration applied once, in order")
                        .containsExactlyElementsOf(versions(Database.SCHEMA_VERSION));
                assertThat(list(st, "SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success")).containsExactly("0");
            }
        }
    }

    private static List<String> versions(int newest) {
        List<String> out = new ArrayList<>();
        for (int v = 1; v <= newest; v++) {
            out.add(String.valueOf(v));
        }
        return out;
    }

    private static List<String> list(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
