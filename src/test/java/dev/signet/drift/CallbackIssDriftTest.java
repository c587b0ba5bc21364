package dev.signet.drift;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.connector.fake.GitHubFake;
import dev.signet.harness.Browser;
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
 * Issue 15, drift watcher, postmortem 001 seen from the operator's side: GitHub has no discovery
 * document, so what its callbacks carry is read from the newest recorded sign-ins (the upstream
 * corpus). When GitHub starts sending {@code iss}, the next probe raises one alert saying so, with
 * the config line that makes Signet require it from then on; the runs after it raise none.
 */
class CallbackIssDriftTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String SECRET = "drift-hook-secret-0123456789";
    static GitHubFake github;
    static WebhookReceiver hook;
    static SignetHarness signet;

    @BeforeAll
    static void start() {
        github = new GitHubFake();
        github.sendIss(Optional.empty()); // GitHub before 2025
        hook = new WebhookReceiver(SECRET);
        signet = SignetHarness.start(SignetHarness.server() + """
                probes:
                  interval: 1s
                  timeout: 5s
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
                      - id: github
                        kind: github
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${GITHUB}
                """, Map.of("GITHUB", github.base(), "HOOK", hook.url().toString(), "SECRET", SECRET));
    }

    @AfterAll
    static void stop() {
        signet.close();
        github.close();
        hook.close();
    }

    /** A user's sign-in through GitHub, down to the code at the app. */
    static void signIn(String githubId) {
        Browser browser = new Browser();
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        HttpResponse<String> page = browser.get(auth.url());
        URI toGitHub = Browser.location(browser.get(Browser.link(page.body(), "/signin/github?")));
        github.nextSignIn(new dev.signet.connector.ConnectorContract.Person(githubId, "octo" + githubId + "@example.com", true, "Octo"), GitHubFake.none());
        URI back = Browser.location(browser.get(Browser.location(browser.get(toGitHub)))); // straight back to the app (issue 16)
        assertThat(Browser.query(back)).containsKey("code");
    }

    static long runs() {
        for (JsonNode r : JSON.readTree(new Browser().get(signet.management("/probes")).body())) {
            if (r.path("connection").asString("").equals("github")) {
                return r.path("runs").asLong();
            }
        }
        return 0;
    }

    static void moreRuns(int n) {
        long before = runs();
        await(n + " more probe runs", () -> runs() >= before + n);
        signet.wakeRelay();
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
    void gitHubStartsSendingIssThenOneAlertWithTheLineThatRequiresIt() {
        signIn("9919");
        moreRuns(3);
        assertThat(drifts()).as("the callbacks without iss are the baseline").isEmpty();

        github.sendIss(Optional.of(GitHubFake.GITHUB_ISSUER));
        signIn("583231");
        await("the callback_iss alert", () -> !drifts().isEmpty());
        moreRuns(3);
        await("the relay", () -> signet.events().backlog() == 0);

        assertThat(drifts()).as("one alert: the token response's fields did not change").hasSize(1);
        JsonNode d = drifts().getFirst().path("data");
        assertThat(d.path("field").asString()).isEqualTo("callback_iss");
        assertThat(d.path("message").asString()).isEqualTo("github: callbacks now carry iss=https://github.com/login/oauth (before: none); "
                + "set connections[github].iss_parameter_supported: true (require iss=https://github.com/login/oauth from now on)");
        assertThat(new Browser().get(signet.management("/metrics")).body())
                .contains("signet_upstream_drift_total{connection=\"github\",field=\"callback_iss\"} 1.0");
    }
}
