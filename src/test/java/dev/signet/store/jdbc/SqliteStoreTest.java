package dev.signet.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.store.StoreConformance;
import dev.signet.store.Stores;
import dev.signet.store.User;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store conformance suite on the embedded database, plus what only SQLite has: WAL and the file. */
class SqliteStoreTest extends StoreConformance {

    @TempDir
    Path dir;

    @Override
    protected Stores open() {
        Database db = Database.openEmbedded(dir);
        return JdbcStores.of(db);
    }

    @Test
    void openEmbeddedWhenOpenedThenFileIsInWalMode() throws SQLException {
        assertThat(query("PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
    }

    @Test
    void openEmbeddedWhenReopenedOnSameDirThenMigrationsSkippedAndDataSurvives() throws SQLException {
        User u = new User("u-1", "default", Optional.of("ada@example.com"), true, Optional.of("Ada"), Optional.empty(),
                Instant.parse("2030-01-02T03:04:05.678Z"));
        JdbcUsers users = new JdbcUsers();
        try (Database first = Database.openEmbedded(dir.resolve("reopen"))) {
            first.write(tx -> {
                users.create(tx, u);
                return true;
            });
        }
        String migrations = "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL";
        String applied = query(dir.resolve("reopen"), migrations);

        try (Database second = Database.openEmbedded(dir.resolve("reopen"))) {
            Optional<User> found = second.read(tx -> users.byId(tx, "default", u.id()));
            assertThat(found).contains(u);
        }
        assertThat(query(dir.resolve("reopen"), migrations)).isEqualTo(applied).isNotEqualTo("0");
        assertThat(query(dir.resolve("reopen"), "PRAGMA journal_mode")).isEqualToIgnoringCase("wal");
    }

    private String query(String sql) throws SQLException {
        return query(dir, sql);
    }

    /** A plain JDBC connection to the same file, bypassing Database and its pools. */
    private static String query(Path dataDir, String sql) throws SQLException {
        String url = "jdbc:sqlite:" + dataDir.resolve("signet.db").toAbsolutePath();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }
}
