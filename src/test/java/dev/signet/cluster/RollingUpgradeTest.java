package dev.signet.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Cluster;
import dev.signet.harness.OldBuild;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.WebhookReceiver;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster of the previous schema version (the jar of the commit before the newest migration,
 * built from git history) upgraded node by node to the build under test while sign-ins run: the
 * first new node migrates the shared database under the old ones (expand/contract), old and new
 * nodes serve side by side, and no sign-in fails. A sign-in started while every node was old
 * finishes when every node is new.
 */
class RollingUpgradeTest {

    static MockOAuth2Server upstream;
    static WebhookReceiver receiver;
    static OldBuild.Jar old;
    static Cluster cluster;

    @BeforeAll
    static void start() {
        old = OldBuild.previousSchema(Path.of("").toAbsolutePath());
        upstream = Journeys.upstream();
        receiver = new WebhookReceiver(Journeys.WEBHOOK_SECRET);
        try {
            cluster = Cluster.start(3, Journeys.TENANTS + Journeys.EVENTS, Journeys.env(upstream, receiver),
                    Cluster.Launch.jar("old " + old.sha().substring(0, 10), old.jar()));
        } catch (AssertionError e) {
            throw new AssertionError(whyTheOldVersionCannotStart(e), e);
        }
    }

    /** A clear message when the previous version refuses the cluster (an unknown configuration key: exit 2). */
    static String whyTheOldVersionCannotStart(AssertionError e) {
        String m = String.valueOf(e.getMessage());
        String what = "the previous schema version (commit " + old.sha() + ", the first parent of " + old.newestMigrationCommit()
                + " which brought the newest migration) did not start in the cluster";
        if (m.contains("postgres")) {
            return what + ": it cannot run on PostgreSQL (the PostgreSQL store landed after it). Merge so that the store lands"
                    + " in a commit before the newest migration, then the upgrade from it can be tested. Its output:\n" + m;
        }
        if (m.contains("exited with 2")) {
            return what + ": it refuses the configuration (a key it does not know; the cluster's configuration may only use keys"
                    + " every version in the upgrade knows). Its output:\n" + m;
        }
        return what + ":\n" + m;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (upstream != null) {
            upstream.shutdown();
        }
    }

    @Test
    void upgradeWhenNodeByNodeWhileSignInsRunThenNoneFails() {
        // a sign-in that starts while every node runs the old version
        Journeys.Started early = Journeys.start(cluster.issuer(), "early");
        assertThat(early.nodes().values()).allMatch(n -> n.startsWith("n"));
        long upgradeStarted;
        long upgradeEnded;
        try (SignInLoad load = new SignInLoad(cluster.issuer(), "rolling", 2)) {
            load.awaitMore(3, Duration.ofSeconds(60));
            upgradeStarted = load.now();
            for (int i = 0; i < cluster.size(); i++) {
                long t = load.now();
                int exit = cluster.stop(i); // SIGTERM: the node drains, HAProxy sends elsewhere
                assertThat(exit).as("%s stopped cleanly", cluster.node(i).name).isIn(0, 143);
                long stopped = load.now();
                cluster.start(i, Cluster.Launch.current()); // same port; the first new node migrates the database
                System.out.printf("CLUSTER-FIGURE %s: stop %d ms, start until in rotation %d ms%n", cluster.node(i).name, stopped - t,
                        load.now() - stopped);
                load.awaitMore(3, Duration.ofSeconds(60)); // old and new nodes side by side
            }
            upgradeEnded = load.now();
            load.awaitMore(3, Duration.ofSeconds(60));
            load.close();
            assertThat(load.failed).as("sign-ins failed during the upgrade:%n%s%n%s", load.failures(), cluster.logs()).isEmpty();
            // nor did any node fail a request that HAProxy then retried elsewhere (an old node that cannot use the new schema)
            assertThat(cluster.errors()).as("errors in the nodes' logs").isEmpty();
            assertThat(load.done.stream().filter(d -> d.startedMs() > upgradeStarted && d.endedMs() < upgradeEnded))
                    .hasSizeGreaterThanOrEqualTo(3 * cluster.size() - 3);
            System.out.printf("CLUSTER-FIGURE rolling upgrade (%s -> current): longest gap without a completed sign-in %d ms,"
                    + " longest sign-in %d ms, %d sign-ins during %d ms%n", old.sha().substring(0, 10), load.longestGapMs(upgradeStarted),
                    load.done.stream().mapToLong(SignInLoad.Done::millis).max().orElse(0), load.done.size(), upgradeEnded - upgradeStarted);
        }
        for (int i = 0; i < cluster.size(); i++) {
            assertThat(cluster.node(i).launch().name()).isEqualTo("current");
        }

        // the sign-in started on the old version finishes on the new one
        Journeys.SignIn finished = Journeys.finish(cluster.issuer(), early);
        assertThat(finished.subject()).isNotBlank();
        RelyingParty app = Journeys.app(cluster.issuer());
        HttpResponse<String> refreshed = app.refresh(finished.refreshToken());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    }
}
