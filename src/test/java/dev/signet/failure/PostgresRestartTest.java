package dev.signet.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.Postgres;
import dev.signet.harness.PostgresServer;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.session.Sessions;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md failure policy, row "store — down for seconds", with the real thing: PostgreSQL itself
 * is stopped and started again (a server of this test's own, {@link PostgresServer}, so no other
 * test's database goes away) under a running Signet. During the outage every request gets 503 with
 * Retry-After and no cookie is touched; afterwards the same node serves again by itself (the pool
 * reconnects), and the user who signed in before is still signed in.
 */
class PostgresRestartTest {

    static PostgresServer postgres;
    static Postgres.TestDatabase database;
    static SignetHarness signet;

    static final String CONFIG = """
            sessions:
              outage_cache_ttl: 60s
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
                    name: Dev Sign-in
            """;

    @BeforeAll
    static void start() {
        postgres = PostgresServer.start();
        database = postgres.createDatabase();
        signet = SignetHarness.startOnPostgres(SignetHarness.server() + "  timeout: 1s\n" + CONFIG, database, Map.of());
    }

    @AfterAll
    static void stop() {
        try {
            if (signet != null) {
                signet.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close(); // the database goes with the server
            }
        }
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
    }

    static void assertRetry(HttpResponse<String> r) {
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).as(r.body()).isEqualTo(503);
        assertThat(page.reason()).isEqualTo("store.unavailable");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.headers().allValues("Set-Cookie")).as("no cookie is touched because of a store error").isEmpty();
    }

    @Test
    void requestsWhenPostgresRestartsThenRetryDuringOutageAndSameNodeRecoversWithUserStillSignedIn() {
        Browser browser = new Browser();
        RelyingParty app = app();
        URI back = DevSignIn.signIn(browser, app.authorize("openid email", Map.of()).url(), "restart@example.com");
        assertThat(Browser.query(back)).containsKey("code");
        String cookie = browser.cookie(Sessions.COOKIE).orElseThrow();
        RelyingParty.Authorization before = app.authorize("openid email", Map.of());
        String codeBefore = Browser.query(Browser.location(browser.get(before.url()))).get("code");

        postgres.stop();

        // the signed-in user: 503-retry, not sent to sign in again, cookie untouched
        assertRetry(browser.get(app.authorize("openid email", Map.of()).url()));
        assertRetry(browser.get(app.authorize("openid email", Map.of()).url())); // again: the pool still has no server
        // a new visitor: 503-retry as well
        assertRetry(new Browser().get(app.authorize("openid email", Map.of()).url()));
        // the token endpoint: retryable, never invalid_grant
        HttpResponse<String> token = app.exchange(codeBefore, before.verifier());
        assertThat(token.statusCode()).isEqualTo(503);
        assertThat(RelyingParty.json(token).path("error").asString()).isEqualTo("temporarily_unavailable");
        assertThat(token.headers().firstValue("Retry-After")).isPresent();
        assertThat(browser.cookie(Sessions.COOKIE)).contains(cookie);

        postgres.startAgain();

        // the same node recovers by itself: the same cookie gets a code at once (no sign-in page)
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(Browser.query(Browser.location(browser.get(app.authorize("openid email", Map.of()).url()))))
                        .containsKey("code"));
        assertThat(app.exchange(codeBefore, before.verifier()).statusCode()).as("the code from before the outage").isEqualTo(200);
        URI again = DevSignIn.signIn(new Browser(), app.authorize("openid email", Map.of()).url(), "after.restart@example.com");
        assertThat(Browser.query(again)).containsKey("code");
    }
}
