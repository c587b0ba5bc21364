package dev.signet.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.Postgres;
import dev.signet.harness.PostgresServer;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a sign-in costs PostgreSQL, counted by PostgreSQL itself ({@code pg_stat_statements} on a
 * server of this test's own): the whole login (authorize, sign-in page, dev upstream, callback,
 * resume, code exchange at /token) is a handful of transactions, each a few statements. The bounds
 * are generous (a regression guard, not a benchmark); the counts are printed for the README.
 */
class SignInCostOnPostgresTest {

    static final int SIGN_INS = 20;
    /** Upper bounds per sign-in on the request path (measured: see README "Data"). */
    static final double MAX_TRANSACTIONS = 10;
    static final double MAX_STATEMENTS = 30;

    static PostgresServer postgres;
    static Postgres.TestDatabase database;
    static SignetHarness signet;

    static final String CONFIG = """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() throws SQLException {
        postgres = PostgresServer.start("shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track_utility=on");
        database = postgres.createDatabase();
        try (Connection c = postgres.superuser(database.name()); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION pg_stat_statements");
        }
        signet = SignetHarness.startOnPostgres(SignetHarness.server() + CONFIG, database, Map.of());
    }

    @AfterAll
    static void stop() {
        try {
            if (signet != null) {
                signet.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    record Counted(String query, long calls) {}

    @Test
    void signInWhenOnPostgresThenFewTransactionsAndStatementsPerSignIn() throws Exception {
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        signIn(app, 0); // warm: keys loaded, statements prepared
        settle();
        reset();
        double before = units();

        for (int i = 1; i <= SIGN_INS; i++) {
            signIn(app, i);
        }
        double transactions = (units() - before) / SIGN_INS; // Signet's units of work on the request path
        settle();
        List<Counted> counted = counted();

        long begins = calls(counted, q -> q.equals("BEGIN")); // pgjdbc's COMMIT is not always counted by pg_stat_statements; BEGIN is
        long rollbacks = calls(counted, q -> q.equals("ROLLBACK"));
        long relay = calls(counted, SignInCostOnPostgresTest::relay);
        double perSignIn = calls(counted, q -> !utility(q) && !relay(q)) / (double) SIGN_INS;
        System.out.printf(Locale.ROOT, "sign-in cost on PostgreSQL over %d sign-ins (login + code exchange): %.1f transactions and"
                + " %.1f statements per sign-in on the request path, so %.1f round trips (statement + commit; BEGIN travels with the"
                + " first statement); all of Signet incl. outbox relay and audit sink: %.1f transactions (BEGIN) and %.1f relay/audit"
                + " statements per sign-in%n", SIGN_INS, transactions, perSignIn, perSignIn + transactions, begins / (double) SIGN_INS,
                relay / (double) SIGN_INS);
        counted.forEach(c -> System.out.printf(Locale.ROOT, "  %6.2f  %s%n", c.calls() / (double) SIGN_INS, c.query()));

        assertThat(transactions).as("transactions per sign-in").isPositive().isLessThanOrEqualTo(MAX_TRANSACTIONS);
        assertThat(perSignIn).as("statements per sign-in").isPositive().isLessThanOrEqualTo(MAX_STATEMENTS);
        assertThat(rollbacks).as("no unit of work failed").isZero();
    }

    /** Signet's store transactions so far on the request path (its metric; the relay and sinks are not counted there). */
    private static double units() {
        String m = new Browser().get(signet.management("/metrics")).body();
        return sample(m, "op=\"read\"") + sample(m, "op=\"write\"");
    }

    private static double sample(String metrics, String labels) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^signet_store_seconds_count\\{" + java.util.regex.Pattern.quote(labels)
                + "\\} (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("signet_store_seconds_count{%s} in /metrics", labels).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static void signIn(RelyingParty app, int i) {
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        URI back = DevSignIn.signIn(new Browser(), auth.url(), "cost-" + i + "@example.com");
        String code = Browser.query(back).get("code");
        assertThat(app.exchange(code, auth.verifier()).statusCode()).isEqualTo(200);
    }

    /** Waits until the outbox relay has delivered every event (its statements are counted apart). */
    private static void settle() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            signet.wakeRelay();
            assertThat(signet.events().backlog()).isZero();
        });
    }

    private static void reset() throws SQLException {
        try (Connection c = postgres.superuser(database.name()); Statement st = c.createStatement()) {
            st.execute("SELECT pg_stat_statements_reset()");
        }
    }

    /** Signet's statements in this database (the role signet), most frequent first. */
    private static List<Counted> counted() throws SQLException {
        List<Counted> out = new ArrayList<>();
        try (Connection c = postgres.superuser(database.name()); PreparedStatement st = c.prepareStatement(
                "SELECT query, calls FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid"
                        + " WHERE r.rolname = 'signet' AND s.dbid = (SELECT oid FROM pg_database WHERE datname = ?)"
                        + " ORDER BY calls DESC, query")) {
            st.setString(1, database.name());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new Counted(rs.getString(1).replaceAll("\\s+", " ").trim(), rs.getLong(2)));
                }
            }
        }
        return out;
    }

    private static long calls(List<Counted> counted, java.util.function.Predicate<String> which) {
        return counted.stream().filter(c -> which.test(c.query())).mapToLong(Counted::calls).sum();
    }

    private static boolean utility(String q) {
        return q.equals("BEGIN") || q.equals("COMMIT") || q.equals("ROLLBACK");
    }

    /** The relay's and the audit sink's statements: off the sign-in path (the outbox INSERT itself is on it). */
    private static boolean relay(String q) {
        return q.contains("outbox_delivery") || q.contains("audit_log") || (q.contains("fanned_out") && !q.startsWith("INSERT INTO outbox "));
    }
}
