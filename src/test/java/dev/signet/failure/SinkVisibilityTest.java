package dev.signet.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.signet.event.OutboxRelay;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.LogCapture;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.WebhookReceiver;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 2: a failing event sink leaves a trace the operator sees. A webhook answers 500
 * for three sign-ins' events (12 deliveries) through every retry until they are dead letters:
 * every attempt is counted per sink and outcome, the oldest pending event's age and the dead
 * letters are per-sink gauges, and the log gets one WARN line per sink per 10 s of Signet's clock
 * (with the attempt, the HTTP status and how many attempts it did not log), not one per attempt.
 * Recovery is logged once. Signet's clock is moved forward instead of waiting for the backoff.
 */
class SinkVisibilityTest {

    static final String SECRET = "webhook-secret-0123456789";
    static final String SINK = "webhook:crm";
    static WebhookReceiver receiver;
    static SignetHarness signet;
    static LogCapture log;

    @BeforeAll
    static void start() {
        receiver = new WebhookReceiver(SECRET);
        log = LogCapture.forLogger(OutboxRelay.class);
        signet = SignetHarness.start(SignetHarness.server() + """
                events:
                  relay: {poll: 50ms, backoff: 4s, max_backoff: 4s, max_attempts: 4, lease: 30s}
                  webhooks:
                    - id: crm
                      url: ${HOOK}
                      secret: ${HOOK_SECRET}
                      timeout: 2s
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """, Map.of("HOOK", receiver.url().toString(), "HOOK_SECRET", SECRET));
    }

    @AfterAll
    static void stop() {
        signet.close();
        receiver.close();
        log.close();
    }

    static String metrics() {
        return new Browser().get(signet.management("/metrics")).body();
    }

    static double metric(String text, String name, String labels) {
        Matcher m = Pattern.compile(Pattern.quote(name + "{" + labels + "}") + " ([0-9.E+-]+|NaN)").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    static double attempts(String outcome) {
        return metric(metrics(), "signet_outbox_deliveries_total", "outcome=\"" + outcome + "\",sink=\"" + SINK + "\"");
    }

    static List<ILoggingEvent> lines(String message) {
        return log.events().stream().filter(e -> e.getFormattedMessage().startsWith(message))
                .filter(e -> LogCapture.field(e, "sink").equals(Optional.of(SINK))).toList();
    }

    /** A complete sign-in with code exchange (four events: user, session, sign-in, tokens). */
    static void signIn(String email) {
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        String code = Browser.query(DevSignIn.signIn(new Browser(), auth.url(), email)).get("code");
        HttpResponse<String> t = app.exchange(code, auth.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
    }

    /** Moves Signet's clock past the backoff and lets the relay run. */
    static void nextRetryRound() {
        signet.clock.advance(Duration.ofSeconds(5));
        signet.wakeRelay();
    }

    @Test
    void sinkAnswers500UntilDeadLettersThenCountedPerSinkAndLoggedRateLimited() throws Exception {
        receiver.set(WebhookReceiver.Mode.FAIL);
        for (int i = 0; i < 3; i++) {
            signIn("visible" + i + "@example.com");
        }

        // first attempts: all within one 10 s window of Signet's clock → one WARN line
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts("failed") >= 12);
        List<ILoggingEvent> first = lines("outbox: delivery failed");
        assertThat(first).hasSize(1);
        assertThat(LogCapture.field(first.getFirst(), "attempt")).contains("1");
        assertThat(LogCapture.field(first.getFirst(), "detail").orElse("")).contains("HTTP 500");
        assertThat(LogCapture.field(first.getFirst(), "suppressed")).contains("0");

        signet.clock.advance(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(metrics(), "signet_outbox_oldest_pending_seconds",
                "sink=\"" + SINK + "\"") >= 3);
        assertThat(metric(metrics(), "signet_outbox_oldest_pending_seconds", "sink=\"audit\"")).as("the audit sink is current")
                .isEqualTo(0.0);

        // three retry rounds, 5 s apart: the fourth attempt is the last; all 12 deliveries become dead letters
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            nextRetryRound();
            return attempts("dead") >= 12;
        });
        // the per-sink gauges read the store at most once a second
        await().atMost(Duration.ofSeconds(10)).until(() -> metric(metrics(), "signet_outbox_sink_dead_letters", "sink=\"" + SINK + "\"") == 12);
        String m = metrics();
        assertThat(metric(m, "signet_outbox_deliveries_total", "outcome=\"failed\",sink=\"" + SINK + "\"")).isEqualTo(36.0);
        assertThat(metric(m, "signet_outbox_deliveries_total", "outcome=\"dead\",sink=\"" + SINK + "\"")).isEqualTo(12.0);
        assertThat(metric(m, "signet_outbox_sink_dead_letters", "sink=\"" + SINK + "\"")).isEqualTo(12.0);
        assertThat(metric(m, "signet_outbox_sink_dead_letters", "sink=\"audit\"")).isEqualTo(0.0);
        assertThat(metric(m, "signet_outbox_oldest_pending_seconds", "sink=\"" + SINK + "\"")).as("nothing pending").isEqualTo(0.0);
        assertThat(metric(m, "signet_outbox_deliveries_total", "outcome=\"delivered\",sink=\"audit\"")).isGreaterThanOrEqualTo(12.0);

        // 48 failed attempts over 15+ s of Signet's clock: a few lines, the later ones counting what they skipped
        List<ILoggingEvent> failed = lines("outbox: delivery failed");
        assertThat(failed).hasSizeBetween(2, 3);
        assertThat(Long.parseLong(LogCapture.field(failed.get(1), "suppressed").orElse("0"))).as("the attempts the window skipped")
                .isGreaterThanOrEqualTo(11);
        List<ILoggingEvent> dead = lines("outbox: delivery dead-lettered");
        assertThat(dead).hasSize(1);
        assertThat(LogCapture.field(dead.getFirst(), "attempts")).contains("4");

        // recovery: logged once
        receiver.set(WebhookReceiver.Mode.OK);
        assertThat(signet.events().redeliver(Optional.empty(), Optional.of(SINK))).isEqualTo(12);
        signet.wakeRelay();
        await().atMost(Duration.ofSeconds(30)).until(() -> attempts("delivered") >= 12);
        List<ILoggingEvent> again = lines("outbox: sink delivering again");
        assertThat(again).hasSize(1);
        assertThat(LogCapture.field(again.getFirst(), "failed_attempts")).as("every failed attempt, logged or not").contains("48");
    }
}
