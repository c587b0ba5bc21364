package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signet events redeliver} and {@code signet audit} against the store of a running Signet
 * (a second process would do the same; SQLite WAL allows it): dead letters go back to pending and
 * the running relay delivers them; the audit log answers by user.
 */
class EventsCommandTest {

    static final String SECRET = "webhook-secret-0123456789";

    record Run(int status, String out, String err) {}

    static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void redeliverWhenDeadLettersThenDeliveredAndAuditFindsTheUser(@TempDir Path dir) throws Exception {
        String yaml = SignetHarness.server() + """
                events:
                  relay: {poll: 50ms, backoff: 1s, max_attempts: 1}
                  webhooks:
                    - {id: crm, url: "${HOOK}", secret: "${SECRET}", timeout: 1s}
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
        try (WebhookReceiver receiver = new WebhookReceiver(SECRET)) {
            receiver.set(WebhookReceiver.Mode.FAIL);
            Map<String, String> env = new HashMap<>(Map.of("HOOK", receiver.url().toString(), "SECRET", SECRET));
            try (SignetHarness signet = SignetHarness.start(yaml, env)) {
                RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
                RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
                String code = Browser.query(DevSignIn.signIn(new Browser(), auth.url(), "cli@example.com")).get("code");
                HttpResponse<String> t = app.exchange(code, auth.verifier());
                String user = SignedJWT.parse(RelyingParty.json(t).path("id_token").asString()).getJWTClaimsSet().getSubject();
                await().atMost(Duration.ofSeconds(20)).until(() -> signet.events().deadLetters() >= 4);

                // the CLI reads the same configuration file (same data directory) as the server
                env.put("PORT", String.valueOf(signet.issuer().getPort()));
                env.put("DATA", signet.dataDir().toString());
                Path config = Files.writeString(dir.resolve("signet.yaml"), yaml);
                receiver.set(WebhookReceiver.Mode.OK);
                Run redeliver = run(env, "events", "redeliver", "--config", config.toString(), "--sink", "webhook:crm");
                assertThat(redeliver.status()).as(redeliver.err()).isZero();
                assertThat(redeliver.out()).startsWith("redelivering ").doesNotStartWith("redelivering 0 ");
                // the CLI stamps "due now" with the wall clock; the server's test clock stands still, so move it past that
                signet.clock.advance(Duration.ofMinutes(5));
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                    signet.wakeRelay();
                    assertThat(receiver.count("signin.succeeded", user)).isEqualTo(1);
                });

                Run audit = run(env, "audit", "--config", config.toString(), "--user", user);
                assertThat(audit.status()).as(audit.err()).isZero();
                assertThat(audit.out().lines()).isNotEmpty().allSatisfy(l -> assertThat(l).contains("\"user_id\":\"" + user + "\""));
                assertThat(audit.out()).contains("\"type\":\"signin.succeeded\"").contains("\"type\":\"tokens.issued\"");
                assertThat(run(env, "audit", "--bogus", "x").status()).isEqualTo(64);

                // one JSON writer: a stored value with a quote, backslash or newline stays one string; data stays an object
                String odd = "dev\",\"injected\":\"x\\\n";
                try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + signet.dataDir().resolve("signet.db"));
                        java.sql.PreparedStatement st = c.prepareStatement("UPDATE audit_log SET connection = ? WHERE user_id = ?")) {
                    st.setString(1, odd);
                    st.setString(2, user);
                    assertThat(st.executeUpdate()).isPositive();
                }
                Run escaped = run(env, "audit", "--config", config.toString(), "--user", user);
                assertThat(escaped.out().lines()).isNotEmpty().allSatisfy(l -> {
                    tools.jackson.databind.JsonNode j = tools.jackson.databind.json.JsonMapper.builder().build().readTree(l);
                    assertThat(j.path("connection").asString()).isEqualTo(odd);
                    assertThat(j.has("injected")).isFalse();
                    assertThat(j.path("user_id").asString()).isEqualTo(user);
                    assertThat(j.path("data").isObject()).isTrue();
                });
            }
        }
    }
}
