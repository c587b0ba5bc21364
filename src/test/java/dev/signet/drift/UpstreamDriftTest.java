package dev.signet.drift;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.signet.harness.Browser;
import dev.signet.harness.LogCapture;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.WebhookReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15, drift watcher: a fake upstream that starts publishing a new key, RFC 9207 {@code iss}
 * support or another issuer raises one alert each (an {@code upstream.drift} event through the
 * outbox to a webhook, the metric, one WARN line with the config line to change), and the probe
 * runs after it raise none. Another tenant has a connection with the same id at another upstream:
 * it is tracked apart (its different issuer is no drift) and never alerts for the first one's changes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamDriftTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SECRET = "drift-hook-secret-0123456789";
    static DriftUpstream up;
    static DriftUpstream other;
    static WebhookReceiver hook;
    static LogCapture log;
    static SignetHarness signet;

    @BeforeAll
    static void start() {
        up = new DriftUpstream();
        other = new DriftUpstream();
        hook = new WebhookReceiver(SECRET);
        log = LogCapture.forLogger(DriftWatcher.class);
        signet = SignetHarness.start(SignetHarness.server() + """
                probes:
                  interval: 1s
                  timeout: 5s
                events:
                  relay: {poll: 100ms}
                  webhooks:
                    - {id: ops, url: "${HOOK}", secret: "${SECRET}", timeout: 2s}
                tenants:
                  - name: second
                    issuer: http://127.0.0.1:${PORT}
                    connections:
                      - {id: corp, kind: oidc, issuer: "${OTHER}", client_id: signet, client_secret: upstream-secret-123, discovery: auto}
                  - name: default
                    issuer: http://localhost:${PORT}
                    connections:
                      - {id: corp, kind: oidc, issuer: "${UP}", client_id: signet, client_secret: upstream-secret-123, discovery: auto}
                """, Map.of("UP", up.base, "OTHER", other.base, "HOOK", hook.url().toString(), "SECRET", SECRET));
    }

    @AfterAll
    static void stop() {
        signet.close();
        up.close();
        other.close();
        hook.close();
        log.close();
    }

    static JsonNode probes() {
        return JSON.readTree(new Browser().get(signet.management("/probes")).body());
    }

    static long runs(String domain) {
        for (JsonNode r : probes()) {
            if (r.path("domain").asString("").equals(domain) && r.path("connection").asString("").equals("corp")) {
                return r.path("runs").asLong();
            }
        }
        return 0;
    }

    /** Waits until both tenants' corp has been probed {@code n} more times. */
    static void moreRuns(int n) {
        long a = runs("localhost");
        long b = runs("127.0.0.1");
        await(n + " more probe runs", () -> runs("localhost") >= a + n && runs("127.0.0.1") >= b + n);
        signet.wakeRelay();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; drift events: " + drifts() + "; probes: " + probes());
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll with a deadline
        }
    }

    static List<JsonNode> drifts() {
        return hook.events.values().stream().filter(e -> e.path("type").asString().equals("upstream.drift")).toList();
    }

    static List<JsonNode> drifts(String field) {
        return drifts().stream().filter(e -> e.path("data").path("field").asString().equals(field)).toList();
    }

    static String metrics() {
        return new Browser().get(signet.management("/metrics")).body();
    }

    static long warnings(String field) {
        return log.events().stream().filter(e -> e.getLevel() == Level.WARN && e.getFormattedMessage().startsWith("upstream drift")
                && String.valueOf(LogCapture.field(e, "field")).contains(field)).count();
    }

    /** One change: exactly one event (default tenant, corp), one metric increment and one WARN line, also after two more runs. */
    static JsonNode exactlyOne(String field) {
        await("an upstream.drift event for " + field, () -> !drifts(field).isEmpty());
        moreRuns(2);
        await("the relay", () -> signet.events().backlog() == 0);
        assertThat(drifts(field)).as("one alert per change, not per probe run").hasSize(1);
        JsonNode e = drifts(field).getFirst();
        assertThat(e.path("tenant").asString()).isEqualTo("default");
        assertThat(e.path("connection").asString()).isEqualTo("corp");
        assertThat(metrics()).contains("signet_upstream_drift_total{connection=\"corp\",field=\"" + field + "\"} 1.0");
        assertThat(warnings(field)).isEqualTo(1);
        return e.path("data");
    }

    @Test
    @Order(1)
    void firstLooksAreTheBaselineThenNothingIsRaised() {
        moreRuns(3);
        assertThat(drifts()).as("a baseline raises nothing; the other tenant's corp has another issuer and is no drift").isEmpty();
        assertThat(metrics()).doesNotContain("signet_upstream_drift_total{");
        assertThat(warnings("")).isZero();
    }

    @Test
    @Order(2)
    void upstreamPublishesANewKeyThenOneAlertNamingTheKey() {
        signet.clock.advance(Duration.ofMinutes(1)); // the last drift is the newest change
        up.addKey("k2");
        JsonNode d = exactlyOne("jwks_keys");
        assertThat(d.path("old").asString()).isEqualTo("k1:RS256");
        assertThat(d.path("new").asString()).isEqualTo("k1:RS256, k2:RS256");
        assertThat(d.path("hint").asString()).startsWith("no config line to change")
                .contains("refetches the key set when an ID token names an unknown kid");
    }

    @Test
    @Order(3)
    void upstreamStartsAdvertisingIssOnCallbacksThenOneAlertWithTheConfigLine() {
        signet.clock.advance(Duration.ofMinutes(1)); // the last drift is the newest change
        up.issParameter.set(true);
        JsonNode d = exactlyOne("authorization_response_iss_parameter_supported");
        assertThat(d.path("old").asString()).isEqualTo("(absent)");
        assertThat(d.path("new").asString()).isEqualTo("true");
        assertThat(d.path("hint").asString()).startsWith("set connections[corp].iss_parameter_supported: true");
        assertThat(d.path("message").asString()).startsWith("corp: authorization_response_iss_parameter_supported changed from (absent) to true;");
    }

    @Test
    @Order(4)
    void upstreamIssuerChangesThenOneAlertWithTheIssuerLine() {
        signet.clock.advance(Duration.ofMinutes(1)); // the last drift is the newest change
        up.issuer.set(up.base + "/realms/renamed");
        JsonNode d = exactlyOne("issuer");
        assertThat(d.path("old").asString()).isEqualTo(up.base);
        assertThat(d.path("new").asString()).isEqualTo(up.base + "/realms/renamed");
        assertThat(d.path("hint").asString()).isEqualTo("set connections[corp].issuer: " + up.base + "/realms/renamed");
        assertThat(d.path("message").asString()).isEqualTo("corp: issuer changed from " + up.base + " to " + up.base
                + "/realms/renamed; set connections[corp].issuer: " + up.base + "/realms/renamed");

        // the operator's side: the probe status (JSON, page) and signet probes show the last drift per connection
        JsonNode row = row("localhost");
        assertThat(row.path("last_drift").path("field").asString()).isEqualTo("issuer");
        assertThat(row.path("last_drift").path("new").asString()).isEqualTo(up.base + "/realms/renamed");
        assertThat(row.path("last_drift").path("hint").asString()).isEqualTo("set connections[corp].issuer: " + up.base + "/realms/renamed");
        assertThat(row("127.0.0.1").has("last_drift")).as("the other tenant's corp has not drifted").isFalse();
        assertThat(new Browser().get(signet.management("/status")).body()).contains("issuer: " + up.base + " → " + up.base + "/realms/renamed");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int code = dev.signet.cli.Cli.run(new String[] {"probes", "--url", signet.management("").toString()}, Map.of(),
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8), System.err);
        assertThat(code).as("a probe fails (the issuer)").isEqualTo(1);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("last drift: issuer changed from " + up.base + " to "
                + up.base + "/realms/renamed; set connections[corp].issuer: " + up.base + "/realms/renamed");
    }

    static JsonNode row(String domain) {
        for (JsonNode r : probes()) {
            if (r.path("domain").asString("").equals(domain) && r.path("connection").asString("").equals("corp")) {
                return r;
            }
        }
        return JSON.createObjectNode();
    }

    @Test
    @Order(5)
    void anotherTenantsConnectionWithTheSameIdIsTrackedApart() {
        moreRuns(2);
        assertThat(drifts()).as("three changes at the default tenant's upstream, nothing for tenant second").hasSize(3)
                .allSatisfy(e -> assertThat(e.path("tenant").asString()).isEqualTo("default"));
        other.addKey("k9");
        await("the second tenant's key change", () -> drifts().stream().anyMatch(e -> e.path("tenant").asString().equals("second")));
        moreRuns(2);
        assertThat(drifts().stream().filter(e -> e.path("tenant").asString().equals("second")).toList()).hasSize(1)
                .allSatisfy(e -> assertThat(e.path("data").path("new").asString()).isEqualTo("k1:RS256, k9:RS256"));
    }
}
