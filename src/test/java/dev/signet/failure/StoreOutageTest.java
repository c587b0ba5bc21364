package dev.signet.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.Ids;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.LogCapture;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.session.Sessions;
import dev.signet.store.AuditStore;
import dev.signet.harness.StoreFaults;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md failure policy, row "store — slow, down for seconds": cached sessions keep validating,
 * then 503 "try again" — never 401, never a cleared cookie. Faults are injected at the JDBC layer
 * of the running server ({@link StoreFaults}).
 */
class StoreOutageTest {

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
        SUCCEEDED.set(0); // counts this server's sign-ins only, also when the class runs twice in one JVM (PIT)
        signet = SignetHarness.start(SignetHarness.server().replace("dir: ${DATA}", "dir: ${DATA}\n  timeout: 300ms") + CONFIG);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    @AfterEach
    void heal() {
        signet.storeFaults.heal();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
    }

    record SignedIn(Browser browser, String cookie) {}

    /** Sign-ins that completed in this class: each must reach the audit sink exactly once. */
    static final AtomicInteger SUCCEEDED = new AtomicInteger();

    static SignedIn signedIn(String email) {
        Browser b = new Browser();
        RelyingParty.Authorization auth = app().authorize("openid email", Map.of());
        URI back = DevSignIn.signIn(b, auth.url(), email);
        assertThat(Browser.query(back)).containsKey("code");
        SUCCEEDED.incrementAndGet();
        return new SignedIn(b, b.cookie(Sessions.COOKIE).orElseThrow());
    }

    static void assertRetryPage(HttpResponse<String> r) {
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.reason()).isEqualTo("store.unavailable");
        assertThat(page.correlationId()).isNotBlank();
        assertThat(page.retryUrl()).as("a retry button").isPresent();
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(r.headers().allValues("Set-Cookie")).as("no cookie is touched because of a store error").isEmpty();
    }

    @Test
    void ssoWhenStoreReadsHangThenSignedInUserGetsCodeFromCachedSession() {
        SignedIn s = signedIn("reads.hang@example.com");
        signet.storeFaults.hang(StoreFaults.Scope.READS);

        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        HttpResponse<String> r = s.browser().get(auth.url());
        // the session read timed out; the session validated moments ago keeps SSO working
        Map<String, String> q = Browser.query(Browser.location(r));
        assertThat(q).containsKey("code").doesNotContainKey("error");
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(app.exchange(q.get("code"), auth.verifier()).statusCode()).isEqualTo(200);

        // a browser without a session cannot finish a new sign-in while reads hang: 503-retry, in bounded time
        Browser fresh = new Browser();
        RelyingParty.Authorization other = app.authorize("openid email", Map.of());
        HttpResponse<String> signInPage = fresh.get(other.url()); // only writes: the pending request
        assertThat(signInPage.statusCode()).isEqualTo(200);
        URI upstream = Browser.location(fresh.get(Browser.link(signInPage.body(), "/signin/dev")));
        URI callback = Browser.location(fresh.postForm(withoutQuery(upstream), devForm(upstream, "new.user@example.com")));
        assertRetryPage(fresh.get(callback));

        // and once the store answers again, retrying the same callback finishes the sign-in
        signet.storeFaults.heal();
        assertThat(Browser.query(Browser.location(fresh.get(callback)))).containsKey("code"); // straight back to the app (issue 16)
        SUCCEEDED.incrementAndGet();
    }

    @Test
    void ssoWhenSessionRevokedInTheStoreThenTheOutageCacheNoLongerHonoursIt() throws Exception {
        SignedIn s = signedIn("revoked.then.outage@example.com");
        // Revoked behind this node's back (an operator, another node): no endpoint of Signet revokes a session yet.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + signet.dataDir().resolve("signet.db"));
                PreparedStatement st = c.prepareStatement("UPDATE sessions SET revoked = 1 WHERE token_hash = ?")) {
            st.setString(1, Ids.hash(s.cookie()));
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        // the store answers: the revoked session is refused (sign-in page, no code) ...
        HttpResponse<String> refused = withCookie(s.cookie(), app().authorize("openid email", Map.of()).url());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
        assertThat(refused.headers().firstValue("Location")).isEmpty();
        assertThat(refused.body()).contains("/signin/dev");

        // ... and forgotten by the outage cache: when reads hang moments later, it is "unknown" (503), not valid again
        signet.storeFaults.hang(StoreFaults.Scope.READS);
        HttpResponse<String> during = withCookie(s.cookie(), app().authorize("openid email", Map.of()).url());
        assertThat(during.headers().firstValue("Location").orElse("")).doesNotContain("code=");
        assertRetryPage(during);
    }

    /** A request carrying exactly this session cookie, whatever a browser would have done with it since. */
    static HttpResponse<String> withCookie(String cookie, URI uri) {
        return new Browser().send(HttpRequest.newBuilder(uri).header("Cookie", Sessions.COOKIE + "=" + cookie).GET());
    }

    static Map<String, String> devForm(URI upstream, String email) {
        Map<String, String> q = Browser.query(upstream);
        return Map.of("state", q.get("state"), "nonce", q.get("nonce"), "redirect_uri", q.get("redirect_uri"), "name", "New",
                "email", email);
    }

    static URI withoutQuery(URI u) {
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + u.getRawPath());
    }

    @Test
    void signInWhenStoreDownThenRetryPageAndSessionSurvivesUntilRecovery() {
        SignedIn s = signedIn("store.down@example.com");
        RelyingParty app = app();
        RelyingParty.Authorization before = app.authorize("openid email", Map.of());
        String codeBefore = Browser.query(Browser.location(s.browser().get(before.url()))).get("code");

        signet.storeFaults.fail(StoreFaults.Scope.ALL);

        // signed-in user: recognised from the cache (not sent to sign in again), but a code needs the store
        assertRetryPage(s.browser().get(app.authorize("openid email", Map.of()).url()));
        // new sign-in: 503 with Retry-After, not an error that sends them away
        assertRetryPage(new Browser().get(app.authorize("openid email", Map.of()).url()));
        // token endpoint: retryable, never invalid_grant (the code is still good after recovery)
        HttpResponse<String> token = app.exchange(codeBefore, before.verifier());
        assertThat(token.statusCode()).isEqualTo(503);
        assertThat(RelyingParty.json(token).path("error").asString()).isEqualTo("temporarily_unavailable");
        assertThat(token.headers().firstValue("Retry-After")).isPresent();
        assertThat(s.browser().cookie(Sessions.COOKIE)).contains(s.cookie());

        signet.storeFaults.heal();

        // after recovery: the same cookie signs in at once, the code from before the outage still works
        RelyingParty.Authorization after = app.authorize("openid email", Map.of());
        assertThat(Browser.query(Browser.location(s.browser().get(after.url())))).containsKey("code");
        assertThat(app.exchange(codeBefore, before.verifier()).statusCode()).isEqualTo(200);
        signedIn("after.outage@example.com");

        // no event lost: every completed sign-in reaches the audit sink once, outage or not
        var signIns = new AuditStore.Query(Optional.empty(), Optional.empty(), Optional.of("dev"), Optional.empty(), Optional.empty(), 1000);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            signet.wakeRelay();
            assertThat(signet.events().audit(signIns).stream().filter(e -> e.type().equals("signin.succeeded")).count())
                    .isEqualTo(SUCCEEDED.get());
        });
    }

    /**
     * A store outage is an expected, operated-around state, not a bug: each refused request logs one
     * WARN line with its reason and correlation id, and nothing in the whole log while the store is
     * down carries a stack trace or is an ERROR (a flood of traces hid the real errors).
     */
    @Test
    void logWhenStoreDownThenOneWarnPerRequestAndNoStackTrace() {
        RelyingParty app = app();
        List<String> ids = new ArrayList<>();
        try (LogCapture log = LogCapture.everything()) {
            signet.storeFaults.fail(StoreFaults.Scope.ALL);
            HttpResponse<String> page = new Browser().get(app.authorize("openid email", Map.of()).url());
            assertRetryPage(page);
            ids.add(ErrorPage.of(page).correlationId());
            HttpResponse<String> token = app.exchange("no-such-code", "v".repeat(43));
            assertThat(token.statusCode()).isEqualTo(503);
            assertThat(token.headers().firstValue("Retry-After")).isPresent();
            ids.add(token.headers().firstValue("X-Request-Id").orElseThrow());
            signet.storeFaults.heal();

            assertThat(log.events().stream().filter(e -> e.getThrowableProxy() != null)
                    .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()))
                    .as("no stack trace while the store is down").isEmpty();
            assertThat(log.problems()).extracting(e -> e.getLoggerName() + ": " + e.getFormattedMessage())
                    .as("no ERROR while the store is down").isEmpty();
            for (String id : ids) {
                assertThat(log.of(id)).filteredOn(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN)
                        .as("one WARN for request " + id).singleElement()
                        .satisfies(e -> assertThat(LogCapture.field(e, "reason")).contains("store.unavailable"));
            }
        }
    }

    @Test
    void authorizeWhenStoreHangsAndCacheExpiredThenRetryPageNotSignInPage() {
        SignedIn s = signedIn("cache.expired@example.com");
        Duration later = Duration.ofSeconds(61);
        signet.clock.advance(later);
        try {
            signet.storeFaults.hang(StoreFaults.Scope.ALL);
            // beyond outage_cache_ttl the session is "unknown": 503 retry, never the sign-in page, never a cleared cookie
            assertRetryPage(s.browser().get(app().authorize("openid email", Map.of()).url()));
            signet.storeFaults.heal();
            assertThat(Browser.query(Browser.location(s.browser().get(app().authorize("openid email", Map.of()).url()))))
                    .containsKey("code");
        } finally {
            signet.clock.advance(later.negated());
        }
    }
}
