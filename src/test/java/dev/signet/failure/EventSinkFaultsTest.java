package dev.signet.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.WebhookReceiver;
import dev.signet.store.AuditStore;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md failure policy, row "event sinks — slow, down": sign-in unaffected; the outbox retries
 * with backoff; dead letter after N tries; nothing lost. The webhook receiver is a real HTTP server
 * that verifies the signature and dedupes by event id. The relay's retry times follow Signet's
 * clock, which the tests move forward instead of waiting.
 */
class EventSinkFaultsTest {

    static final String SECRET = "webhook-secret-0123456789";
    static WebhookReceiver receiver;
    static SignetHarness signet;

    @BeforeAll
    static void start() {
        receiver = new WebhookReceiver(SECRET);
        signet = SignetHarness.start(SignetHarness.server() + """
                events:
                  relay: {poll: 50ms, backoff: 1s, max_backoff: 4s, max_attempts: 3, lease: 30s}
                  webhooks:
                    - id: crm
                      url: ${HOOK}
                      secret: ${HOOK_SECRET}
                      timeout: 300ms
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
    }

    @AfterEach
    void healthy() {
        receiver.set(WebhookReceiver.Mode.OK);
    }

    /** A complete sign-in with code exchange; returns the user id (sub). */
    static String signIn(String email) throws Exception {
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        String code = Browser.query(DevSignIn.signIn(new Browser(), auth.url(), email)).get("code");
        HttpResponse<String> t = app.exchange(code, auth.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        return SignedJWT.parse(RelyingParty.json(t).path("id_token").asString()).getJWTClaimsSet().getSubject();
    }

    /** Moves Signet's clock past the longest backoff and lets the relay run. */
    static void nextRetryRound() {
        signet.clock.advance(Duration.ofSeconds(5));
        signet.wakeRelay();
    }

    static void assertAllFourEventsOnce(String user) {
        for (String type : List.of("user.created", "session.created", "signin.succeeded", "tokens.issued")) {
            assertThat(receiver.count(type, user)).as(type + " for " + user).isEqualTo(1);
        }
    }

    @Test
    void signInWhenWebhookHangsThenUnaffectedAndEveryEventDeliveredAfterRecovery() throws Exception {
        receiver.set(WebhookReceiver.Mode.HANG);
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            users.add(signIn("hang" + i + "@example.com")); // every sign-in completes while the sink hangs
        }
        // the relay did try the hanging sink, and the audit sink got the events meanwhile: sinks are independent
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.attempts.get() > 0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(signet.events().audit(new AuditStore.Query(Optional.empty(),
                Optional.of(users.get(2)), Optional.empty(), Optional.empty(), Optional.empty(), 10))).extracting(e -> e.type())
                .contains("signin.succeeded", "tokens.issued"));
        assertThat(users.stream().mapToLong(u -> receiver.count("signin.succeeded", u)).sum()).isZero();

        receiver.set(WebhookReceiver.Mode.OK);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            nextRetryRound();
            users.forEach(EventSinkFaultsTest::assertAllFourEventsOnce);
        });
        assertThat(receiver.badSignatures).isEmpty();
    }

    @Test
    void deliveryWhenWebhookKeepsFailingThenDeadLetteredAndRedeliverable() throws Exception {
        long deadBefore = signet.events().deadLetters();
        receiver.set(WebhookReceiver.Mode.FAIL);
        String user = signIn("dead.letter@example.com");
        // 3 attempts (max_attempts), each after a backoff, then dead: not retried forever
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            nextRetryRound();
            return signet.events().deadLetters() >= deadBefore + 4;
        });
        assertThat(receiver.count("signin.succeeded", user)).isZero();

        receiver.set(WebhookReceiver.Mode.OK);
        nextRetryRound();
        assertThat(receiver.count("signin.succeeded", user)).as("dead letters stay dead until redelivered").isZero();
        assertThat(signet.events().redeliver(Optional.empty(), Optional.of("webhook:crm"))).isGreaterThanOrEqualTo(4);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            signet.wakeRelay();
            assertAllFourEventsOnce(user);
        });
        assertThat(signet.events().deadLetters()).isZero();
    }

    @Test
    void callbackWhenSignInFailsThenSignInFailedEventWithReason() {
        Browser b = new Browser();
        HttpResponse<String> r = b.get(signet.url("/callback/dev?code=x&state=forged-state"));
        assertThat(r.statusCode()).isEqualTo(400);
        var failures = new AuditStore.Query(Optional.empty(), Optional.empty(), Optional.of("dev"), Optional.empty(), Optional.empty(), 500);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            signet.wakeRelay();
            assertThat(signet.events().audit(failures)).anySatisfy(e -> {
                assertThat(e.type()).isEqualTo("signin.failed");
                assertThat(e.data()).contains("upstream.state_mismatch");
            });
            assertThat(receiver.events.values()).anySatisfy(e -> assertThat(e.path("data").path("reason").asString())
                    .isEqualTo("upstream.state_mismatch"));
        });
    }

    @Test
    void auditWhenQueriedByUserConnectionAndTimeThenOnlyMatchingEvents() throws Exception {
        String user = signIn("audited@example.com");
        var byUser = new AuditStore.Query(Optional.empty(), Optional.of(user), Optional.empty(), Optional.empty(), Optional.empty(), 50);
        await().atMost(Duration.ofSeconds(20)).until(() -> signet.events().audit(byUser).size() == 4);
        assertThat(signet.events().audit(byUser)).allSatisfy(e -> assertThat(e.userId()).contains(user));
        var devSince = new AuditStore.Query(Optional.of("default"), Optional.empty(), Optional.of("dev"),
                Optional.of(signet.clock.instant().minusSeconds(1)), Optional.of(signet.clock.instant().plusSeconds(1)), 500);
        assertThat(signet.events().audit(devSince)).extracting(e -> e.type()).contains("signin.succeeded", "session.created");
        var otherConnection = new AuditStore.Query(Optional.empty(), Optional.of(user), Optional.of("corp"), Optional.empty(),
                Optional.empty(), 50);
        assertThat(signet.events().audit(otherConnection)).isEmpty();
        var future = new AuditStore.Query(Optional.empty(), Optional.of(user), Optional.empty(),
                Optional.of(signet.clock.instant().plusSeconds(3600)), Optional.empty(), 50);
        assertThat(signet.events().audit(future)).isEmpty();
    }
}
