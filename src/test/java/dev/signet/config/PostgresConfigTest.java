package dev.signet.config;

import static dev.signet.config.ConfigLoaderTest.parse;
import static dev.signet.config.ConfigLoaderTest.problemAt;
import static dev.signet.config.ConfigLoaderTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code data.postgres}: read when valid; every problem listed with its path when not; the password never in the file. */
class PostgresConfigTest {

    static final String REST = ConfigLoaderTest.LOOPBACK_SERVER + "tenants:\n  - name: default\n" + ConfigLoaderTest.DEV_CONNECTION;

    @Test
    void parseWhenPostgresGivenThenSettingsReadWithPasswordFromEnvironment() {
        SignetConfig c = parse("""
                data:
                  timeout: 3s
                  postgres:
                    url: jdbc:postgresql://db1.internal:5432,db2.internal:5433/signet?sslmode=verify-full
                    user: ${DB_USER}
                    password: ${DB_PASSWORD}
                    pool_size: 20
                """ + REST, Map.of("DB_USER", "signet", "DB_PASSWORD", "s3cret-from-env"));

        DataSettings.PostgresSettings pg = c.data().postgres().orElseThrow();
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://db1.internal:5432,db2.internal:5433/signet?sslmode=verify-full");
        assertThat(pg.user()).isEqualTo("signet");
        assertThat(pg.password()).map(Secret::value).contains("s3cret-from-env");
        assertThat(pg.poolSize()).isEqualTo(20);
        assertThat(c.data().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(pg.toString()).doesNotContain("s3cret-from-env");
    }

    @Test
    void parseWhenNoPostgresThenEmbeddedAndPoolDefault() {
        assertThat(parse(REST).data().postgres()).isEmpty();
        DataSettings.PostgresSettings pg = parse("data:\n  postgres:\n    url: jdbc:postgresql://localhost/signet\n    user: signet\n" + REST)
                .data().postgres().orElseThrow();
        assertThat(pg.poolSize()).isEqualTo(DataSettings.PostgresSettings.DEFAULT_POOL_SIZE);
        assertThat(pg.password()).isEmpty();
    }

    @Test
    void parseWhenPostgresHasEveryMistakeThenEveryProblemListedWithItsPath() {
        ConfigException e = refused("""
                data:
                  dir: ./data
                  postgres:
                    url: postgres://db.internal/signet
                    password: written-in-the-file
                    pool_size: 0
                    pool: 5
                """ + REST);

        assertThat(problemAt(e, "data.dir").message()).contains("not used with data.postgres");
        assertThat(problemAt(e, "data.postgres.url").message()).contains("jdbc:postgresql://");
        assertThat(problemAt(e, "data.postgres.user").message()).isEqualTo("is required");
        assertThat(problemAt(e, "data.postgres.password").message()).contains("must come from the environment");
        assertThat(problemAt(e, "data.postgres.pool_size").message()).contains("between 1 and 200");
        assertThat(problemAt(e, "data.postgres.pool").message()).contains("unknown key");
        assertThat(e.getMessage()).doesNotContain("written-in-the-file");
    }

    @Test
    void parseWhenUrlMalformedThenEachProblemNamed() {
        Map<String, String> cases = Map.of(
                "jdbc:postgresql://signet@db.internal/signet", "must not contain credentials",
                "jdbc:postgresql://db.internal/signet?user=x&password=y", "must not contain the parameter 'password'",
                "jdbc:postgresql://db.internal:99999/signet", "outside 1-65535",
                "jdbc:postgresql://db.internal:port/signet", "invalid port",
                "jdbc:postgresql://db.internal", "names no database",
                "jdbc:postgresql:///signet", "names no host",
                "jdbc:postgresql://db_internal!/signet", "invalid host");
        cases.forEach((url, expected) -> {
            ConfigException e = refused("data:\n  postgres:\n    url: \"" + url + "\"\n    user: signet\n" + REST);
            assertThat(e.problems()).as(url).anySatisfy(p -> {
                assertThat(p.path()).isEqualTo("data.postgres.url");
                assertThat(p.message()).contains(expected);
            });
        });
    }
}
