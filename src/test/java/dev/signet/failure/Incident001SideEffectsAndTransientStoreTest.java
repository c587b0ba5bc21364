package dev.signet.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.WebhookReceiver;
import dev.signet.session.Sessions;
import dev.signet.harness.StoreFaults;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regression for postmortem 001: an analytics call inside the login flow timed out and blocked
 * sign-in, and session code threw on transient store errors and logged users out. In Signet the
 * webhook (the analytics stand-in) is only reached through the outbox, and a store error is
 * "unavailable", never "signed out".
 */
class Incident001SideEffectsAndTransientStoreTest {

    static final String SECRET = "analytics-secret-0123456789";
    static WebhookReceiver analytics;
    static SignetHarness signet;

    @BeforeAll
    static void start() {
        analytics = new WebhookReceiver(SECRET);
        signet = SignetHarness.start(SignetHarness.server() + """
                events:
                  relay: {poll: 50ms, backoff: 1s, max_backoff: 2s}
                  webhooks:
                    - {id: analytics, url: "${HOOK}", secret: "${SECRET}", timeout: 2s}
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """, Map.of("HOOK", analytics.url().toString(), "SECRET", SECRET));
    }

    @AfterAll
    static void stop() {
        signet.close();
        analytics.close();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
    }

    @Test
    void signInWhenAnalyticsTimesOutThenLoginCompletesAndEventArrivesLater() throws Exception {
        analytics.set(WebhookReceiver.Mode.HANG);
        try {
            RelyingParty app = app();
            RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
            String code = Browser.query(DevSignIn.signIn(new Browser(), auth.url(), "analytics@example.com")).get("code");
            HttpResponse<String> t = app.exchange(code, auth.verifier());
            assertThat(t.statusCode()).isEqualTo(200);
            String user = SignedJWT.parse(RelyingParty.json(t).path("id_token").asString()).getJWTClaimsSet().getSubject();
            await().atMost(Duration.ofSeconds(20)).until(() -> analytics.attempts.get() > 0);

            analytics.set(WebhookReceiver.Mode.OK);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                signet.clock.advance(Duration.ofSeconds(3));
                signet.wakeRelay();
                assertThat(analytics.count("signin.succeeded", user)).isEqualTo(1);
            });
        } finally {
            analytics.set(WebhookReceiver.Mode.OK);
        }
    }

    @Test
    void authorizeWhenStoreFailsTransientlyThenUserIsNotLoggedOut() {
        Browser b = new Browser();
        DevSignIn.signIn(b, app().authorize("openid email", Map.of()).url(), "transient@example.com");
        String cookie = b.cookie(Sessions.COOKIE).orElseThrow();
        try {
            // the session read fails: the session validated moments ago keeps SSO working
            signet.storeFaults.fail(StoreFaults.Scope.READS);
            assertThat(Browser.query(Browser.location(b.get(app().authorize("openid email", Map.of()).url())))).containsKey("code");

            // everything fails: "try again", not "signed out" — no sign-in page, no cleared cookie
            signet.storeFaults.fail(StoreFaults.Scope.ALL);
            HttpResponse<String> r = b.get(app().authorize("openid email", Map.of()).url());
            ErrorPage page = ErrorPage.of(r);
            assertThat(page.status()).isEqualTo(503);
            assertThat(page.reason()).isEqualTo("store.unavailable");
            assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
            assertThat(b.cookie(Sessions.COOKIE)).contains(cookie);
        } finally {
            signet.storeFaults.heal();
        }
        // and once the store is back, the same session signs the user in at once
        assertThat(Browser.query(Browser.location(b.get(app().authorize("openid email", Map.of()).url())))).containsKey("code");
    }
}
