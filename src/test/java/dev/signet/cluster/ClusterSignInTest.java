package dev.signet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Cluster;
import dev.signet.harness.RelyingParty;
import java.net.http.HttpResponse;
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
    static Cluster cluster;

    @BeforeAll
    static void start() {
        upstream = Journeys.upstream();
        cluster = Cluster.start(3, Journeys.TENANTS, Journeys.env(upstream), Cluster.Launch.current());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        upstream.shutdown();
    }

    @Test
    void signInWhenStepsLandOnDifferentNodesThenItCompletes() {
        List<Journeys.SignIn> done = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Journeys.SignIn s = Journeys.signIn(cluster.issuer(), "spread" + i);
            done.add(s);
            // consecutive steps of one sign-in were served by different nodes: nothing lives in one node's memory
            assertThat(s.nodes().values()).as("%s", s.nodes()).hasSizeGreaterThanOrEqualTo(5).doesNotContain("?");
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
}
