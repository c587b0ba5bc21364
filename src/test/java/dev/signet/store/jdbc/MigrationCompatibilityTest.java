package dev.signet.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The upgrade rule (README "Upgrades"): a new version runs on the previous version's schema and
 * data while nodes of the previous version still run, so a migration only adds (expand/contract);
 * removing or changing something waits for a later version. Every migration newer than
 * {@link #LANDED} must consist of additive statements only: CREATE TABLE, CREATE INDEX, ALTER TABLE
 * … ADD COLUMN (nullable or with a DEFAULT), INSERT.
 */
class MigrationCompatibilityTest {

    /** Migrations up to this version were written before the rule and are not checked (never edited either). */
    static final int LANDED = 5;

    static final String RULE = "README \"Upgrades\": a migration only adds (CREATE TABLE, CREATE INDEX, ALTER TABLE ... ADD COLUMN"
            + " nullable or with a DEFAULT, INSERT), so nodes of the previous version keep working on the new schema while the upgrade"
            + " rolls; dropping, renaming or changing a column waits for the version after the one that stopped using it";

    private static final Pattern FILE = Pattern.compile("V(\\d+)__.*\\.sql");
    private static final Pattern CREATE_TABLE = Pattern.compile("CREATE TABLE (IF NOT EXISTS )?\\w+ ?\\(.*");
    private static final Pattern CREATE_INDEX = Pattern.compile("CREATE (UNIQUE )?INDEX (IF NOT EXISTS )?\\w+ ON \\w+ ?\\(.*");
    private static final Pattern ADD_COLUMN = Pattern.compile("ALTER TABLE \\w+ ADD (COLUMN )?(IF NOT EXISTS )?(\\w+) (.*)");
    private static final Pattern INSERT = Pattern.compile("INSERT INTO \\w+ ?[( ].*");

    @Test
    void migrationsWhenNewerThanLandedThenOnlyAdditiveStatements() throws IOException, URISyntaxException {
        Path dir = Path.of(MigrationCompatibilityTest.class.getResource("/db/migration").toURI());
        List<String> violations = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> all = Files.list(dir)) {
            files = all.sorted().toList();
        }
        for (Path f : files) {
            Matcher m = FILE.matcher(f.getFileName().toString());
            if (m.matches() && Integer.parseInt(m.group(1)) > LANDED) {
                for (String statement : statements(Files.readString(f, StandardCharsets.UTF_8))) {
                    violation(statement).ifPresent(v -> violations.add(f.getFileName() + ": " + v));
                }
            }
        }
        assertThat(violations).as(RULE).isEmpty();
    }

    @Test
    void violationWhenStatementRemovesOrChangesThenNamedAndAdditiveOnesPass() {
        List<String> breaking = List.of(
                "DROP TABLE sessions",
                "DROP INDEX users_by_email",
                "ALTER TABLE sessions DROP COLUMN revoked",
                "ALTER TABLE sessions RENAME COLUMN revoked TO is_revoked",
                "ALTER TABLE sessions RENAME TO browser_sessions",
                "ALTER TABLE users ALTER COLUMN email TYPE VARCHAR(100)",
                "ALTER TABLE users ALTER COLUMN email SET NOT NULL",
                "ALTER TABLE users ADD COLUMN locale TEXT NOT NULL",
                "UPDATE users SET email = lower(email)",
                "DELETE FROM sessions",
                "TRUNCATE outbox",
                "CREATE VIEW v AS SELECT 1");
        assertThat(breaking).allSatisfy(sql -> assertThat(violation(sql)).as(sql).isPresent());

        List<String> additive = List.of(
                "CREATE TABLE key_rotation (tenant TEXT PRIMARY KEY, next_at BIGINT NOT NULL)",
                "CREATE INDEX sessions_by_user ON sessions (tenant, user_id)",
                "CREATE UNIQUE INDEX IF NOT EXISTS k ON signing_keys (tenant, kid)",
                "ALTER TABLE signing_keys ADD COLUMN retired_at BIGINT",
                "ALTER TABLE signing_keys ADD COLUMN state TEXT NOT NULL DEFAULT 'active'",
                "insert into settings (k, v) values ('a', 'b')");
        assertThat(additive).allSatisfy(sql -> assertThat(violation(sql)).as(sql).isEmpty());
    }

    @Test
    void statementsWhenCommentsAndSemicolonsThenSplitIntoStatements() {
        assertThat(statements("-- a comment; with a semicolon\nCREATE TABLE a (x TEXT); /* block; */ DROP TABLE b;\n"))
                .containsExactly("CREATE TABLE a (x TEXT)", "DROP TABLE b");
    }

    /** Why {@code statement} breaks the rule, or empty when it only adds. */
    static Optional<String> violation(String statement) {
        String s = statement.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        if (CREATE_TABLE.matcher(s).matches() || CREATE_INDEX.matcher(s).matches() || INSERT.matcher(s).matches()) {
            return Optional.empty();
        }
        Matcher add = ADD_COLUMN.matcher(s);
        if (add.matches()) {
            String definition = add.group(4);
            if (definition.contains("NOT NULL") && !definition.contains("DEFAULT")) {
                return Optional.of("adds NOT NULL column " + add.group(3) + " without a DEFAULT (inserts of the previous version would fail): "
                        + statement.trim());
            }
            return Optional.empty();
        }
        return Optional.of("not additive: " + statement.trim());
    }

    /** The statements of a SQL file, without comments, split at semicolons. */
    static List<String> statements(String sql) {
        String bare = sql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("--[^\\n]*", " ");
        List<String> out = new ArrayList<>();
        for (String part : bare.split(";")) {
            String s = part.trim().replaceAll("\\s+", " ");
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
