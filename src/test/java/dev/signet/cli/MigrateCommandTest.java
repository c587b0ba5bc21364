package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Postgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signet migrate [--dry-run]} on a new PostgreSQL database and on a new SQLite directory:
 * the dry run lists every pending migration with its SQL file and changes nothing; the migration
 * prints the versions applied; a second run has nothing to do.
 */
class MigrateCommandTest {

    static final String TENANTS = """
            tenants:
              - name: default
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    /** How many migrations the build ships (the newest version): the test follows new migrations. */
    static final int NEWEST = migrations();

    static int migrations() {
        try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Run(int status, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void migrateWhenPostgresIsNewThenDryRunChangesNothingAndMigratePrintsEveryVersionOnce(@TempDir Path dir) throws Exception {
        try (Postgres.TestDatabase pg = Postgres.create()) {
            Path config = Files.writeString(dir.resolve("signet.yaml"), Postgres.TestDatabase.yaml() + TENANTS);
            Map<String, String> env = new HashMap<>(pg.env());

            Run dry = run(env, "migrate", "--config", config.toString(), "--dry-run");
            assertThat(dry.status()).as(dry.err()).isZero();
            assertThat(dry.out()).contains("PostgreSQL " + pg.url(), "schema version none (new database)", "would apply",
                    "V1__journey.sql", "V5__signing_keys_per_tenant.sql", "nothing changed (--dry-run)");
            assertThat(tables(pg)).as("the dry run created nothing").doesNotContain("flyway_schema_history", "users");

            Run migrate = run(env, "migrate", "--config", config.toString());
            assertThat(migrate.status()).as(migrate.err()).isZero();
            assertThat(migrate.out()).contains("applied " + NEWEST + " migration(s)", "V1  journey  (V1__journey.sql)", "schema version " + NEWEST);
            assertThat(tables(pg)).contains("flyway_schema_history", "users", "outbox", "signing_keys");

            Run again = run(env, "migrate", "--config", config.toString());
            assertThat(again.out()).contains("schema version " + NEWEST).contains("up to date: nothing applied");
            Run dryAgain = run(env, "migrate", "--config", config.toString(), "--dry-run");
            assertThat(dryAgain.out()).contains("up to date: nothing would change");
        }
    }

    @Test
    void migrateWhenSqliteDirIsNewThenDryRunCreatesNoFileAndMigrateCreatesTheDatabase(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Path config = Files.writeString(dir.resolve("signet.yaml"), "data:\n  dir: " + data + "\n" + TENANTS);

        Run dry = run(Map.of(), "migrate", "--config", config.toString(), "--dry-run");
        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("SQLite", "would apply " + NEWEST + " migration(s)", "V4__upstream_login_domain.sql");
        assertThat(data.resolve("signet.db")).doesNotExist();

        Run migrate = run(Map.of(), "migrate", "--config", config.toString());
        assertThat(migrate.status()).as(migrate.err()).isZero();
        assertThat(migrate.out()).contains("applied " + NEWEST + " migration(s)", "schema version " + NEWEST);
        assertThat(data.resolve("signet.db")).exists();
    }

    @Test
    void migrateWhenDatabaseUnreachableThenExitOneNamingIt(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("signet.yaml"), """
                data:
                  timeout: 1s
                  postgres:
                    url: jdbc:postgresql://127.0.0.1:1/signet?connectTimeout=2
                    user: signet
                """ + TENANTS);

        Run r = run(Map.of(), "migrate", "--config", config.toString(), "--dry-run");

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("signet migrate: PostgreSQL jdbc:postgresql://127.0.0.1:1/signet").doesNotContain("\tat ");
    }

    @Test
    void serveWhenPostgresUnreachableThenExitOneNamingIt(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("signet.yaml"), """
                server:
                  port: 0
                data:
                  timeout: 1s
                  postgres:
                    url: jdbc:postgresql://127.0.0.1:1/signet
                    user: signet
                """ + TENANTS);

        Run r = run(Map.of(), "serve", "--config", config.toString());

        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("signet: could not start: cannot connect to PostgreSQL at jdbc:postgresql://127.0.0.1:1/signet as signet")
                .doesNotContain("\tat ");
    }

    @Test
    void migrateWhenConfigInvalidThenExitTwo(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("signet.yaml"), "data:\n  postgres:\n    url: mysql://x/y\n" + TENANTS);

        Run r = run(Map.of(), "migrate", "--config", config.toString());

        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("data.postgres.url", "data.postgres.user");
    }

    private static java.util.List<String> tables(Postgres.TestDatabase pg) throws SQLException {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = pg.connect(); ResultSet rs = c.getMetaData().getTables(null, "public", "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME"));
            }
        }
        return out;
    }
}
