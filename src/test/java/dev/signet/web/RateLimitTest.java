package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Brute-force protection at {@code /token} (RFC 6749 §2.3.1) and rate limits per source address,
 * on the running server (README "Rate limits"). The harness's own address (127.0.0.1) is a trusted
 * proxy here, so each test speaks from its own {@code X-Forwarded-For} address and the tests do
 * not share buckets. The client-authentication back-off runs with its shipped defaults (20
 * failures per client and address within 5 min, then 1 s doubling to 60 s; 200 per client from
 * all addresses); time moves only through the harness clock.
 */
class RateLimitTest {

    static SignetHarness signet;
    static Browser http;

    static final String SECRET = "right-secret-0123456789";

    static final String CONFIG = """
            server:
              host: 127.0.0.1
              port: ${PORT}
              trusted_proxies: [127.0.0.1]
            data:
              dir: ${DATA}
            rate_limits:
              per_address:
                authorize: 5/1m
                pages: 2/1m
                dev_form: 2/1m
                callback: 2/1m
            tenants:
              - name: default
                clients:
                  - {id: alpha, secret: right-secret-0123456789, grant_types: [client_credentials]}
                  - {id: beta, secret: right-secret-0123456789, grant_types: [client_credentials]}
                  - {id: gamma, secret: right-secret-0123456789, grant_types: [client_credentials]}
                  - {id: delta, secret: right-secret-0123456789, grant_types: [client_credentials]}
                  - {id: app, secret: right-secret-0123456789, redirect_uris: ["http://localhost:9/cb"]}
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        http = new Browser(); // one client, kept-alive connections: 150 requests in well under a second
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static HttpResponse<String> token(String client, String secret, String from) {
        String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(signet.url("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .header("X-Forwarded-For", from)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    static HttpResponse<String> authorize(String from) {
        URI uri = signet.url("/authorize?response_type=code&client_id=app&redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fcb"
                + "&scope=openid&state=s&nonce=n");
        return new Browser().send(HttpRequest.newBuilder(uri).header("X-Forwarded-For", from).GET());
    }

    static String retryAfter(HttpResponse<String> r) {
        return r.headers().firstValue("Retry-After").orElse("(none)");
    }

    static double rateLimited(String endpoint, String reason) {
        String metrics = new Browser().get(signet.management("/metrics")).body();
        Matcher m = Pattern.compile("(?m)^signet_rate_limited_total\\{endpoint=\"" + endpoint + "\",reason=\"" + reason + "\"} (\\S+)$")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void tokenWhenManyWrongSecretsThen429WithRetryAfterAndRightSecretWaitsForTheBackoff() {
        List<Integer> statuses = new ArrayList<>();
        HttpResponse<String> last = null;
        for (int i = 0; i < 150; i++) {
            last = token("alpha", "wrong-secret-" + i, "203.0.113.1");
            statuses.add(last.statusCode());
        }

        assertThat(statuses.subList(0, 20)).as("the first 20 failures are checked").containsOnly(401);
        assertThat(statuses.subList(20, 150)).as("then refused unchecked").containsOnly(429);
        assertThat(retryAfter(last)).isEqualTo("1");
        assertThat(last.body()).contains("\"error\":\"temporarily_unavailable\"");
        assertThat(last.headers().firstValue("Content-Type")).hasValue("application/json");

        HttpResponse<String> right = token("alpha", SECRET, "203.0.113.1");
        assertThat(right.statusCode()).as("the right secret during the back-off").isEqualTo(429);

        signet.clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> after = token("alpha", SECRET, "203.0.113.1");
        assertThat(after.statusCode()).as("the right secret once the back-off expired: " + after.body()).isEqualTo(200);
        List<Integer> afterSuccess = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            afterSuccess.add(token("alpha", "wrong-again", "203.0.113.1").statusCode());
        }
        assertThat(afterSuccess).as("a success reset the count: 19 more failures are checked").containsOnly(401);
    }

    @Test
    void tokenWhenFailuresGoOnAfterEachBackoffThenBackoffDoublesUpToOneMinute() {
        for (int i = 0; i < 20; i++) {
            token("beta", "wrong", "203.0.113.2");
        }
        List<String> waits = new ArrayList<>();
        waits.add(retryAfter(token("beta", "wrong", "203.0.113.2")));
        for (int round = 0; round < 8; round++) {
            signet.clock.advance(Duration.ofSeconds(Long.parseLong(waits.getLast())));
            assertThat(token("beta", "wrong", "203.0.113.2").statusCode()).as("checked again after the back-off").isEqualTo(401);
            HttpResponse<String> refused = token("beta", SECRET, "203.0.113.2");
            assertThat(refused.statusCode()).isEqualTo(429);
            waits.add(retryAfter(refused));
        }

        assertThat(waits).containsExactly("1", "2", "4", "8", "16", "32", "60", "60", "60");
    }

    @Test
    void tokenWhenAttackerBackedOffThenRealClientFromAnotherAddressIsServed() {
        for (int i = 0; i < 150; i++) {
            token("gamma", "wrong-" + i, "198.51.100.7");
        }
        assertThat(token("gamma", SECRET, "198.51.100.7").statusCode()).isEqualTo(429);

        assertThat(token("gamma", SECRET, "192.0.2.10").statusCode()).as("the real client elsewhere").isEqualTo(200);
    }

    @Test
    void tokenWhenGuessesComeFromManyAddressesThenEachNewAddressBacksOffAfterOneFailureButCleanAddressesAreServed() {
        for (int a = 1; a <= 11; a++) { // 11 x 20 = 220 failures > client_max 200
            for (int i = 0; i < 20; i++) {
                token("delta", "wrong", "198.18.0." + a);
            }
        }

        assertThat(token("delta", "wrong", "198.18.1.1").statusCode()).as("a new address's first guess is checked").isEqualTo(401);
        assertThat(token("delta", "wrong", "198.18.1.1").statusCode()).as("and its second is refused").isEqualTo(429);
        assertThat(token("delta", SECRET, "192.0.2.20").statusCode()).as("the real client from an address that never failed")
                .isEqualTo(200);
    }

    @Test
    void authorizeWhenOneAddressExceedsItsLimitThen429PageWithReasonAndOtherAddressesServed() {
        double before = rateLimited("authorize", "per_address");
        for (int i = 0; i < 5; i++) {
            assertThat(authorize("203.0.113.50").statusCode()).as("request %d", i + 1).isEqualTo(200);
        }

        HttpResponse<String> refused = authorize("203.0.113.50");
        ErrorPage page = ErrorPage.of(refused);
        assertThat(page.status()).isEqualTo(429);
        assertThat(page.reason()).isEqualTo("rate_limited");
        assertThat(retryAfter(refused)).as("5 per minute: one more after 12 s").isEqualTo("12");
        assertThat(authorize("203.0.113.51").statusCode()).as("another address").isEqualTo(200);
        assertThat(rateLimited("authorize", "per_address") - before).isEqualTo(1);

        signet.clock.advance(Duration.ofSeconds(12));
        assertThat(authorize("203.0.113.50").statusCode()).isEqualTo(200);
    }

    @Test
    void pagesDevFormAndCallbackWhenOneAddressExceedsItsLimitThen429() {
        String[][] cases = {
            {"/signin/dev?pending=p", "203.0.113.60", "pages"},
            {"/authorize/resume?pending=p", "203.0.113.61", "pages"},
            {"/dev-upstream/dev?redirect_uri=x", "203.0.113.62", "dev_form"},
            {"/callback/dev?code=c&state=s", "203.0.113.63", "callback"}};
        for (String[] c : cases) {
            double before = rateLimited(c[2], "per_address");
            for (int i = 0; i < 2; i++) {
                assertThat(get(c[0], c[1]).statusCode()).as("%s request %d", c[0], i + 1).isNotEqualTo(429);
            }

            ErrorPage page = ErrorPage.of(get(c[0], c[1]));
            assertThat(page.status()).as(c[0]).isEqualTo(429);
            assertThat(page.reason()).isEqualTo("rate_limited");
            assertThat(rateLimited(c[2], "per_address") - before).as(c[0]).isEqualTo(1);
        }
    }

    static HttpResponse<String> get(String path, String from) {
        return new Browser().send(HttpRequest.newBuilder(signet.url(path)).header("X-Forwarded-For", from).GET());
    }

    @Test
    void tokenWhenBackedOffThenCountedByEndpointAndReason() {
        double before = rateLimited("token", "client_auth_backoff");
        for (int i = 0; i < 25; i++) {
            token("alpha", "wrong", "203.0.113.99");
        }

        assertThat(rateLimited("token", "client_auth_backoff") - before).isEqualTo(5);
    }

    @Test
    void tokenWhenForwardedForHasHopsLeftOfTheFirstUntrustedOneThenTheyAreIgnored() {
        // Only the TCP peer is a trusted proxy: the client is the hop it appended; whatever the client
        // itself put to the left is not believed, so changing it does not escape the back-off.
        for (int i = 0; i < 20; i++) {
            token("app", "wrong", "10.9.9.9, 203.0.113.77");
        }

        assertThat(token("app", "wrong", "10.1.1.1, 203.0.113.77").statusCode()).as("same client address, another forged hop")
                .isEqualTo(429);
    }
}
