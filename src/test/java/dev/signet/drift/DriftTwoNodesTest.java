package dev.signet.drift;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.signet.harness.Browser;
import dev.signet.harness.LogCapture;
import dev.signet.harness.Postgres;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15, drift watcher on several nodes: two nodes on one PostgreSQL database probe the same
 * upstream every second; when it publishes a new key and another issuer, the compare-and-set on
 * {@code upstream_published} lets one node alert per change: one event between them, one metric
 * increment and one WARN line in total.
 */
class DriftTwoNodesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SECRET = "drift-hook-secret-0123456789";
    static final String YAML = SignetHarness.server() + """
            probes:
              interval: 1s
              timeout: 5s
              client_secret: probe-secret-0123456789
            events:
              relay: {poll: 100ms}
              webhooks:
                - {id: ops, url: "${HOOK}", secret: "${SECRET}", timeout: 2s}
            tenants:
              - name: default
                issuer: http://localhost:${PORT}
                connections:
                  - {id: corp, kind: oidc, issuer: "${UP}", client_id: signet, client_secret: upstream-secret-123, discovery: auto}
            """;
    static Postgres.TestDatabase db;
    static DriftUpstream up;
    static WebhookReceiver hook;
    static LogCapture log;
    static SignetHarness a;
    static SignetHarness b;

    @BeforeAll
    static void start() {
        db = Postgres.create();
        up = new DriftUpstream();
        hook = new WebhookReceiver(SECRET);
        log = LogCapture.forLogger(DriftWatcher.class);
        Map<String, String> env = Map.of("UP", up.base, "HOOK", hook.url().toString(), "SECRET", SECRET);
        a = SignetHarness.startOnPostgres(YAML, db, env);
        b = SignetHarness.startOnPostgres(YAML, db, env);
    }

    @AfterAll
    static void stop() {
        try {
            for (SignetHarness n : new SignetHarness[] {b, a}) {
                if (n != null) {
                    n.close();
                }
            }
            up.close();
            hook.close();
            log.close();
        } finally {
            db.close();
        }
    }

    static long runs(SignetHarness node) {
        for (JsonNode r : JSON.readTree(new Browser().get(node.management("/probes")).body())) {
            if (r.path("connection").asString("").equals("corp")) {
                return r.path("runs").asLong();
            }
        }
        return 0;
    }

    static void moreRuns(int n) {
        long ra = runs(a);
        long rb = runs(b);
        await(n + " more runs on both nodes", () -> runs(a) >= ra + n && runs(b) >= rb + n);
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; drift events: " + drifts());
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll with a deadline
        }
    }

    static List<JsonNode> drifts() {
        return hook.events.values().stream().filter(e -> e.path("type").asString().equals("upstream.drift")).toList();
    }

    /** The node's signet_upstream_drift_total for {@code field} (0 when never counted there). */
    static double counted(SignetHarness node, String field) {
        Matcher m = Pattern.compile("signet_upstream_drift_total\\{connection=\"corp\",field=\"" + field + "\"} ([0-9.]+)")
                .matcher(new Browser().get(node.management("/metrics")).body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void twoNodesSeeTheSameChangesThenOneAlertPerChangeBetweenThem() {
        moreRuns(3);
        assertThat(drifts()).as("the baseline raises nothing").isEmpty();

        up.addKey("k2");
        up.issuer.set(up.base + "/v2");
        await("both changes alerted", () -> drifts().size() >= 2);
        moreRuns(3);
        a.wakeRelay();
        b.wakeRelay();
        await("the relays", () -> a.events().backlog() == 0);

        assertThat(drifts()).as("one alert per change between the two nodes").hasSize(2)
                .extracting(e -> e.path("data").path("field").asString()).containsExactlyInAnyOrder("jwks_keys", "issuer");
        for (String field : List.of("jwks_keys", "issuer")) {
            assertThat(counted(a, field) + counted(b, field)).as(field + ": counted by one node").isEqualTo(1.0);
            assertThat(log.events().stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().startsWith("upstream drift")
                    && String.valueOf(LogCapture.field(e, "field")).contains(field)).count()).as(field + ": one WARN line").isEqualTo(1);
        }
    }
}
