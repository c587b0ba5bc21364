package dev.signet.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.harness.Cluster;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three Signet nodes (separate processes) on one database behind HAProxy, round robin, no
 * stickiness: a sign-in's steps land on different nodes and it still completes, and a refresh
 * token rotated on one node is known (and its reuse detected) on the others.
 */
class ClusterSignInTest {

    static MockOAuth2Server upstream;
    static WebhookReceiver receiver;
    static Cluster cluster;

    @BeforeAll
    static void start() {
        upstream = Journeys.upstream();
        receiver = new WebhookReceiver(Journeys.WEBHOOK_SECRET);
        cluster = Cluster.start(3, Journeys.TENANTS + Journeys.EVENTS, Journeys.env(upstream, receiver), Cluster.Launch.current());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        receiver.close();
        upstream.shutdown();
    }

    @Test
    void signInWhenStepsLandOnDifferentNodesThenItCompletes() {
        List<Journeys.SignIn> done = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Journeys.SignIn s = Journeys.signIn(cluster.issuer(), "spread" + i);
            done.add(s);
            // consecutive steps of one sign-in were served by different nodes: nothing lives in one node's memory
            assertThat(s.nodes().values()).as("%s", s.nodes()).hasSizeGreaterThanOrEqualTo(4).doesNotContain("?");
            assertThat(new java.util.HashSet<>(s.nodes().values())).as("%s", s.nodes()).hasSizeGreaterThanOrEqualTo(2);
        }
        assertThat(Journeys.nodesOf(done)).contains("n1", "n2", "n3");
        assertThat(done).extracting(Journeys.SignIn::subject).doesNotHaveDuplicates();
    }

    @Test
    void refreshWhenRotatedOnOneNodeThenReuseOnAnotherRevokesTheFamily() {
        Journeys.SignIn s = Journeys.signIn(cluster.issuer(), "refresher");
        RelyingParty app = Journeys.app(cluster.issuer());
        String first = s.refreshToken();

        HttpResponse<String> rotated = app.refresh(first);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String second = RelyingParty.json(rotated).path("refresh_token").asString();
        String access = RelyingParty.json(rotated).path("access_token").asString();
        String rotatedOn = rotated.headers().firstValue("X-Signet-Node").orElseThrow();

        HttpResponse<String> reuse = app.refresh(first);
        String reusedOn = reuse.headers().firstValue("X-Signet-Node").orElseThrow();
        assertThat(reusedOn).as("round robin sends the next request elsewhere").isNotEqualTo(rotatedOn);
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(RelyingParty.json(reuse).path("error").asString()).isEqualTo("invalid_grant");

        // the whole family is revoked, on every node: the rotated token and its access token
        for (int i = 0; i < cluster.size(); i++) {
            HttpResponse<String> again = app.refresh(second);
            assertThat(again.statusCode()).as(again.body()).isEqualTo(400);
            assertThat(app.userinfo(access).statusCode()).isEqualTo(401);
        }
    }

    /**
     * A refresh family revoked through node A (reuse of a rotated refresh token, sent to A directly)
     * is refused by node B (directly, not through HAProxy) within a second: its refresh token at
     * {@code /token} and its access token at {@code /userinfo}.
     */
    @Test
    void revokeWhenThroughNodeAThenNodeBRejectsWithinOneSecond() {
        Journeys.SignIn s = Journeys.signIn(cluster.issuer(), "revoked");
        RelyingParty nodeA = Journeys.app(URI.create("http://localhost:" + cluster.directPort(0)));
        RelyingParty nodeB = Journeys.app(URI.create("http://localhost:" + cluster.directPort(1)));
        HttpResponse<String> rotated = nodeA.refresh(s.refreshToken());
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String current = RelyingParty.json(rotated).path("refresh_token").asString();
        String access = RelyingParty.json(rotated).path("access_token").asString();
        assertThat(nodeB.userinfo(access).statusCode()).as("valid on B before the revocation").isEqualTo(200);

        HttpResponse<String> reuse = nodeA.refresh(s.refreshToken());
        assertThat(RelyingParty.json(reuse).path("error").asString()).isEqualTo("invalid_grant");
        long revokedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).until(() -> nodeB.userinfo(access).statusCode() == 401);
        long rejectedMs = (System.nanoTime() - revokedAt) / 1_000_000;
        HttpResponse<String> refused = nodeB.refresh(current);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(RelyingParty.json(refused).path("error").asString()).isEqualTo("invalid_grant");
        System.out.printf("CLUSTER-FIGURE revocation on A rejected by B after %d ms%n", rejectedMs);
    }

    /**
     * {@code kill -9} of a node while sign-ins run: sign-ins complete through the other nodes (HAProxy
     * retries what the dead node never answered), and every event in the outbox reaches the webhook
     * (deduped by event id) and is recorded delivered: a delivery the dead node had claimed is taken
     * over when its lease expires. The node is started again afterwards for the other tests.
     *
     * <p>The one exception, by nature: a step the killed node was in the middle of, with an effect
     * that cannot be repeated (it had spent the upstream's single-use code at the callback, or had
     * committed the callback's transaction, which consumed the sign-in's state, just before it died, or
     * had spent Signet's own code at {@code /token}). HAProxy's retry of it on another node is refused
     * ({@code upstream.bad_response}, {@code upstream.state_mismatch}, {@code invalid_grant}) and that
     * browser's user starts again,
     * as the error page offers. So: only sign-ins already running when the node died may fail, at
     * most one per client (one request each in flight), and each user's next sign-in completes.
     */
    @Test
    void killWhenSignInsRunThenTheyCompleteElsewhereAndNoEventIsLost() throws Exception {
        long killedAt;
        try (SignInLoad load = new SignInLoad(cluster.issuer(), "kill", 3)) {
            load.awaitMore(6, Duration.ofSeconds(60));
            // the receiver holds every delivery: each relay that claims new events is stuck in delivering them, so the node
            // killed now dies holding claimed deliveries (sign-ins go on: webhooks are not on their path)
            receiver.set(WebhookReceiver.Mode.HANG);
            load.awaitMore(3, Duration.ofSeconds(60));
            killedAt = load.now();
            cluster.kill(1);
            receiver.set(WebhookReceiver.Mode.OK); // the held deliveries fail (500, or a timeout) and are retried
            load.awaitMore(12, Duration.ofSeconds(90));
            load.close();
            assertThat(load.failed).as("failed sign-ins:%n%s%n%s", load.failures(), cluster.logs())
                    .allMatch(f -> f.startedMs() < killedAt && f.atMs() >= killedAt).hasSizeLessThanOrEqualTo(3)
                    .allMatch(f -> String.valueOf(f.error().getMessage()).contains("invalid_grant")
                            || String.valueOf(f.error().getMessage()).contains("upstream.bad_response")
                            || String.valueOf(f.error().getMessage()).contains("upstream.state_mismatch"));
            for (SignInLoad.Failed f : load.failed) {
                System.out.printf("CLUSTER-FIGURE kill -9: sign-in in flight on the killed node failed, started again: %s%n", f.error());
                assertThat(Journeys.signIn(cluster.issuer(), f.user()).subject()).isNotBlank();
            }
            assertThat(load.done.stream().filter(d -> d.endedMs() > killedAt)).hasSizeGreaterThanOrEqualTo(12);
            System.out.printf("CLUSTER-FIGURE kill -9: longest gap without a completed sign-in %d ms, longest sign-in across the kill %d ms,"
                    + " %d sign-ins%n", load.longestGapMs(killedAt - 1000), load.longestAcross(killedAt), load.done.size());

            // every event of these sign-ins, and every other event in the outbox, reached the receiver
            for (SignInLoad.Done d : load.done) {
                String user = d.signIn().subject();
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    assertThat(receiver.count("signin.succeeded", user)).as(user).isEqualTo(1);
                    assertThat(receiver.count("tokens.issued", user)).as(user).isEqualTo(1);
                });
            }
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(receiver.events.keySet()).containsAll(outboxIds()));
            // ... and the outbox knows it: no delivery is left pending, not even one the dead node had claimed
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(count(
                    "SELECT count(*) FROM outbox_delivery WHERE state <> 'delivered'") + count("SELECT count(*) FROM outbox WHERE fanned_out = 0"))
                    .isZero());
            assertThat(receiver.badSignatures).isEmpty();
        } finally {
            receiver.set(WebhookReceiver.Mode.OK);
            cluster.start(1, Cluster.Launch.current());
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = cluster.database(); ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static List<String> outboxIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = cluster.database(); ResultSet rs = c.createStatement().executeQuery("SELECT id FROM outbox")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
