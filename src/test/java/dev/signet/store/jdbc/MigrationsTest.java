package dev.signet.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Database skips Flyway when the schema is current, so its constant must follow the migrations. */
class MigrationsTest {

    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void schemaVersionWhenComparedToMigrationFilesThenEqualsTheNewest() throws IOException, URISyntaxException {
        Path dir = Path.of(MigrationsTest.class.getResource("/db/migration").toURI());
        int newest;
        try (Stream<Path> files = Files.list(dir)) {
            newest = files.map(p -> VERSION.matcher(p.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
        assertThat(Database.SCHEMA_VERSION).isEqualTo(newest);
    }

    @Test
    void openWhenDatabaseIsNewThenMigratedToCurrentVersion(@TempDir Path dir) {
        try (Database db = Database.openEmbedded(dir)) {
            java.util.List<dev.signet.store.StoredKey> keys = db.read(tx -> new JdbcKeys().all(tx, "default"));
            assertThat(keys).isEmpty();
        }
        try (Database again = Database.openEmbedded(dir)) {
            java.util.List<dev.signet.store.StoredKey> keys = again.read(tx -> new JdbcKeys().all(tx, "default"));
            assertThat(keys).isEmpty();
        }
    }

    /** Issue 11: keys from before per-tenant keys (V5) stay with the tenant named default; no other tenant sees them. */
    @Test
    void migrateWhenKeysStoredBeforeV5ThenTheyBelongToDefaultTenant(@TempDir Path dir) throws java.sql.SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("signet.db").toAbsolutePath();
        org.flywaydb.core.Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").target("4").load().migrate();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url); java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO signing_keys (kid, alg, material, encrypted, created_at) VALUES ('old-kid', 'RS256', '{}', 0, 1)");
        }
        try (Database db = Database.openEmbedded(dir)) {
            java.util.List<dev.signet.store.StoredKey> ofDefault = db.read(tx -> new JdbcKeys().all(tx, "default"));
            java.util.List<dev.signet.store.StoredKey> ofAcme = db.read(tx -> new JdbcKeys().all(tx, "acme"));
            assertThat(ofDefault).extracting(dev.signet.store.StoredKey::kid).containsExactly("old-kid");
            assertThat(ofAcme).isEmpty();
        }
    }
}
