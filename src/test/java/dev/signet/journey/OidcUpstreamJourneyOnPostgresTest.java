package dev.signet.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same journey as {@link OidcUpstreamJourneyTest} (every test of it runs again) on PostgreSQL:
 * Signet started with {@code data.postgres} on a database of its own.
 */
class OidcUpstreamJourneyOnPostgresTest extends OidcUpstreamJourneyTest {

    @BeforeAll
    static void start() {
        startOn(true);
    }

    @Test
    void startWhenDataPostgresThenUsersAndSessionsAreInPostgres() throws Exception {
        signInWhenUpstreamIsOidcThenTokensRefreshRotationAndFamilyRevocation();

        try (Connection c = signet.postgres().orElseThrow().connect(); Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT COUNT(*) FROM users WHERE email = 'alice@example.com'")).isPositive();
            assertThat(count(st, "SELECT COUNT(*) FROM sessions")).isPositive();
            assertThat(count(st, "SELECT COUNT(*) FROM signing_keys WHERE tenant = 'default'")).isEqualTo(2);
        }
        assertThat(signet.dataDir()).isEmptyDirectory(); // data.dir is not used for the store
    }

    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
