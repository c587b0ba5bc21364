package dev.signet.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.Postgres;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15, drift watcher, the first look: a node without probes records a real sign-in (the upstream
 * corpus holds its discovery document and key ids); the upstream then rotates its key and starts
 * advertising RFC 9207 {@code iss}; a node that starts later on the same database takes its baseline
 * from that recorded sign-in, so its first probe run reports both changes (and the runs after it nothing).
 */
class DriftSeedTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SECRET = "drift-hook-secret-0123456789";
    static final String YAML = SignetHarness.server() + """
            events:
              relay: {poll: 100ms}
              webhooks:
                - {id: ops, url: "${HOOK}", secret: "${SECRET}", timeout: 2s}
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - {id: corp, kind: oidc, issuer: "${UP}", client_id: signet, client_secret: upstream-secret-123, discovery: auto}
            """;
    static Postgres.TestDatabase db;
    static JwksResilienceTest.SigningUpstream up;
    static WebhookReceiver hook;
    static SignetHarness node;

    @BeforeAll
    static void start() {
        db = Postgres.create();
        up = new JwksResilienceTest.SigningUpstream();
        hook = new WebhookReceiver(SECRET);
    }

    @AfterAll
    static void stop() {
        try {
            if (node != null) {
                node.close();
            }
            up.close();
            hook.close();
        } finally {
            db.close();
        }
    }

    static Map<String, String> env() {
        return Map.of("UP", up.base, "HOOK", hook.url().toString(), "SECRET", SECRET);
    }

    static void signIn(SignetHarness signet) {
        Browser browser = new Browser();
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        HttpResponse<String> chooser = browser.get(auth.url());
        URI toUpstream = Browser.location(browser.get(Browser.link(chooser.body(), "/signin/corp?")));
        HttpResponse<String> callback = browser.get(Browser.location(browser.get(toUpstream)));
        assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    }

    static long runs() {
        for (JsonNode r : JSON.readTree(new Browser().get(node.management("/probes")).body())) {
            if (r.path("connection").asString("").equals("corp")) {
                return r.path("runs").asLong();
            }
        }
        return 0;
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

    @Test
    void upstreamChangedSinceTheLastRecordedSignInThenTheFirstProbeReportsIt() {
        try (SignetHarness recording = SignetHarness.startOnPostgres(YAML, db, env())) { // probes off
            signIn(recording);
        }
        up.addKey("k2");
        up.keys.remove("k1");
        up.signWith.set("k2");
        up.issParameter.set(true);

        node = SignetHarness.startOnPostgres(YAML + """
                probes:
                  interval: 1s
                  timeout: 5s
                """, db, env());
        await("the first probe's alerts", () -> drifts().size() >= 2);
        long after = runs();
        await("two more runs", () -> runs() >= after + 2);
        node.wakeRelay();
        await("the relay", () -> node.events().backlog() == 0);

        assertThat(drifts()).as("two changes since the recorded sign-in, each once").hasSize(2);
        Map<String, JsonNode> byField = new java.util.HashMap<>();
        drifts().forEach(e -> byField.put(e.path("data").path("field").asString(), e.path("data")));
        assertThat(byField.get("jwks_keys").path("old").asString()).isEqualTo("k1:RS256");
        assertThat(byField.get("jwks_keys").path("new").asString()).isEqualTo("k2:RS256");
        assertThat(byField.get("authorization_response_iss_parameter_supported").path("old").asString()).isEqualTo("(absent)");
        assertThat(byField.get("authorization_response_iss_parameter_supported").path("hint").asString())
                .startsWith("set connections[corp].iss_parameter_supported: true");
    }
}
