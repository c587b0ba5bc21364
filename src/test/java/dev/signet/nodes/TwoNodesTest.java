package dev.signet.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.cli.Cli;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.Postgres;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.StoreFaults;
import dev.signet.keys.KeyRotation;
import dev.signet.session.Sessions;
import dev.signet.store.jdbc.PgChanges;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Signet nodes that share nothing but one PostgreSQL database (issue 13): what one node
 * revokes or rotates, the other honours through LISTEN/NOTIFY (typically within milliseconds), long
 * before its fallbacks would (the once-a-minute key check, the 60 s outage cache); a node that loses
 * its LISTEN connection reconnects by itself and drops its caches.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesTest {

    /**
     * The bound for a change to reach the other node: far below the fallbacks (60 s), so only the
     * notification can meet it, and not a timing target (that is a benchmark's job): a loaded
     * machine must not fail it.
     */
    static final Duration WITHIN = Duration.ofSeconds(10);
    static final String YAML = SignetHarness.server() + """
              timeout: 500ms
            sessions:
              outage_cache_ttl: 60s
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

    static Postgres.TestDatabase db;
    static SignetHarness a;
    static SignetHarness b;

    @BeforeAll
    static void start() {
        db = Postgres.create();
        a = SignetHarness.startOnPostgres(YAML, db, Map.of());
        b = SignetHarness.startOnPostgres(YAML, db, Map.of());
    }

    @AfterAll
    static void stop() {
        try {
            if (b != null) {
                b.close();
            }
            if (a != null) {
                a.close();
            }
        } finally {
            db.close();
        }
    }

    @AfterEach
    void heal() {
        a.storeFaults.heal();
        b.storeFaults.heal();
    }

    record SignedIn(String cookie, String sid, String refreshToken, String accessToken) {}

    /** A full sign-in at {@code node}: the session cookie, its id ({@code sid}) and the tokens. */
    static SignedIn signIn(SignetHarness node, String email) throws Exception {
        Browser browser = new Browser();
        RelyingParty app = app(node);
        RelyingParty.Authorization auth = app.authorize("openid email offline_access", Map.of());
        String code = Browser.query(DevSignIn.signIn(browser, auth.url(), email)).get("code");
        HttpResponse<String> t = app.exchange(code, auth.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        var json = RelyingParty.json(t);
        String sid = SignedJWT.parse(json.get("id_token").asString()).getJWTClaimsSet().getStringClaim("sid");
        return new SignedIn(browser.cookie(Sessions.COOKIE).orElseThrow(), sid, json.get("refresh_token").asString(),
                json.get("access_token").asString());
    }

    static RelyingParty app(SignetHarness node) {
        return new RelyingParty(node, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
    }

    /** An authorization request at {@code node} carrying exactly this session cookie: a code when the session is valid there. */
    static HttpResponse<String> authorizeWith(SignetHarness node, String cookie) {
        URI url = app(node).authorize("openid email", Map.of()).url();
        return new Browser().send(HttpRequest.newBuilder(url).header("Cookie", Sessions.COOKIE + "=" + cookie).GET());
    }

    static boolean codeIssued(HttpResponse<String> r) {
        return r.headers().firstValue("Location").orElse("").contains("code=");
    }

    @Test
    void sessionRevokedAtAWhenBIsHealthyThenBRefusesItAtOnce() throws Exception {
        SignedIn s = signIn(a, "healthy.revoke@example.com");
        assertThat(codeIssued(authorizeWith(b, s.cookie()))).as("the session of A is valid at B").isTrue();

        long t0 = System.nanoTime();
        assertThat(a.app().revokeSession("default", s.sid())).isTrue();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(5)).until(() -> !codeIssued(authorizeWith(b, s.cookie())));
        System.out.printf("revoked at A -> refused at B (store up): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    }

    @Test
    void sessionRevokedAtAWhileBServesFromItsOutageCacheThenBDropsItThroughNotify() throws Exception {
        SignedIn s = signIn(a, "outage.revoke@example.com");
        assertThat(codeIssued(authorizeWith(b, s.cookie()))).isTrue(); // validated at B: in B's outage cache
        b.storeFaults.fail(StoreFaults.Scope.READS);
        assertThat(codeIssued(authorizeWith(b, s.cookie()))).as("B's reads fail: the cached session keeps SSO working").isTrue();

        double before = metric(b, "signet_changes_received_total{kind=\"session_revoked\"");
        long t0 = System.nanoTime();
        assertThat(a.app().revokeSession("default", s.sid())).isTrue();
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(5))
                .until(() -> metric(b, "signet_changes_received_total{kind=\"session_revoked\"") > before);
        long heard = (System.nanoTime() - t0) / 1_000_000;
        HttpResponse<String> after = authorizeWith(b, s.cookie());
        System.out.printf("revoked at A -> dropped from B's outage cache: %d ms%n", heard);
        assertThat(codeIssued(after)).as("B no longer honours the revoked session from its cache").isFalse();
        assertThat(after.statusCode()).as("unknown, not signed out: 503 retry").isEqualTo(503);
    }

    @Test
    void refreshFamilyRevokedAtAByReuseThenRefusedAtB() throws Exception {
        SignedIn s = signIn(a, "family@example.com");
        HttpResponse<String> rotated = app(a).refresh(s.refreshToken());
        assertThat(rotated.statusCode()).isEqualTo(200);
        String next = RelyingParty.json(rotated).get("refresh_token").asString();
        assertThat(app(a).refresh(s.refreshToken()).statusCode()).as("reuse detected at A").isEqualTo(400);

        HttpResponse<String> atB = app(b).refresh(next);
        assertThat(atB.statusCode()).isEqualTo(400);
        assertThat(RelyingParty.json(atB).get("error").asString()).isEqualTo("invalid_grant");
        assertThat(app(b).userinfo(s.accessToken()).statusCode()).as("the family's access token too").isEqualTo(401);
    }

    /** Lets any successor an earlier test created start signing, so that a forced rotation creates new keys. */
    static void pastEarlierRotations() {
        a.clock.advance(Duration.ofMinutes(11));
        b.clock.advance(Duration.ofMinutes(11));
    }

    @Test
    void keysRotatedOnAThenInBsJwksThroughNotify() throws Exception {
        pastEarlierRotations();
        Set<String> before = kids(b);
        List<KeyRotation.Created> created = a.app().rotateKeys(Optional.empty(), true);
        long t0 = System.nanoTime(); // committed and announced (key generation, about a second of RSA, came before)
        assertThat(created).hasSize(2);
        Set<String> fresh = new LinkedHashSet<>(created.stream().map(KeyRotation.Created::kid).toList());
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(5)).until(() -> kids(b).containsAll(fresh));
        System.out.printf("rotated at A -> in B's JWKS: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(kids(b)).containsAll(before);
    }

    /** First: the command line rotates by the wall clock, which the nodes' clocks leave behind once a test advances them. */
    @Test
    @Order(1)
    void keysRotatedFromTheCommandLineThenInBothJwksThroughNotify(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("signet.yaml"), YAML.replace("data:\n  dir: ${DATA}\n", Postgres.TestDatabase.yaml()));
        Map<String, String> env = new HashMap<>(db.env());
        env.put("PORT", "1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(new String[] {"keys", "rotate", "--config", config.toString(), "--tenant", "default"}, env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        Set<String> fresh = new LinkedHashSet<>();
        out.toString(StandardCharsets.UTF_8).lines().forEach(l -> fresh.add(l.replaceAll(".* key (\\S+) published.*", "$1")));
        assertThat(fresh).hasSize(2);
        await().atMost(WITHIN).pollInterval(Duration.ofMillis(5)).until(() -> kids(a).containsAll(fresh) && kids(b).containsAll(fresh));
    }

    @Test
    void listenConnectionKilledThenReconnectsAndDropsEveryCache() throws Exception {
        PgChanges changes = b.app().changes().orElseThrow();
        long reconnects = changes.reconnects();
        double resyncs = metric(b, "signet_changes_resyncs_total");
        int pid = changes.backendPid();
        assertThat(pid).isPositive();
        try (Connection c = db.connect(); PreparedStatement st = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            st.setInt(1, pid);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next() && rs.getBoolean(1)).isTrue();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> changes.reconnects() > reconnects && changes.backendPid() > 0);
        assertThat(changes.backendPid()).isNotEqualTo(pid);
        assertThat(metric(b, "signet_changes_resyncs_total")).isEqualTo(resyncs + 1);

        // and it listens again: a rotation at A reaches B, whose keys are loaded (cached) again by now
        pastEarlierRotations();
        kids(b);
        List<KeyRotation.Created> created = a.app().rotateKeys(Optional.empty(), true);
        Set<String> fresh = new LinkedHashSet<>(created.stream().map(KeyRotation.Created::kid).toList());
        await().atMost(WITHIN).until(() -> kids(b).containsAll(fresh));
    }

    static Set<String> kids(SignetHarness node) throws Exception {
        HttpResponse<String> r = new Browser().get(node.url("/jwks"));
        Set<String> out = new LinkedHashSet<>();
        JWKSet.parse(r.body()).getKeys().forEach(k -> out.add(k.getKeyID()));
        return out;
    }

    /** A counter of the node's Prometheus scrape (0 when absent). */
    static double metric(SignetHarness node, String prefix) {
        String body = new Browser().get(node.management("/metrics")).body();
        return body.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
