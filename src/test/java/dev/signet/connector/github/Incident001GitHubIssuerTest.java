package dev.signet.connector.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import dev.signet.connector.ConnectorContract.Person;
import dev.signet.connector.fake.GitHubFake;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.LogCapture;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Postmortem 001 (seeds/001): GitHub began sending RFC 9207 {@code iss=https://github.com/login/oauth}
 * on its callback, a library's stricter check compared it with a default issuer, and every GitHub
 * sign-in failed. With the {@code github} preset the same change is a non-event, while an {@code iss}
 * that really differs is refused with a message naming both values.
 */
class Incident001GitHubIssuerTest {

    static GitHubFake github;
    static SignetHarness signet;
    static LogCapture log;

    @BeforeAll
    static void start() {
        github = new GitHubFake();
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: github
                        kind: github
                        name: GitHub
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${GITHUB}
                """, Map.of("GITHUB", github.base()));
        log = new LogCapture();
    }

    @AfterAll
    static void stop() {
        log.close();
        signet.close();
        github.close();
    }

    /** One sign-in through GitHub; the response to the callback. */
    static HttpResponse<String> signIn(Browser browser, RelyingParty.Authorization auth, String githubId) {
        HttpResponse<String> page = browser.get(auth.url());
        URI toGitHub = Browser.location(browser.get(Browser.link(page.body(), "/signin/github?")));
        github.nextSignIn(new Person(githubId, "octo" + githubId + "@example.com", true, "Octo " + githubId), GitHubFake.none());
        return browser.get(Browser.location(browser.get(toGitHub)));
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
    }

    @Test
    void callbackWhenGitHubStartsSendingItsIssuerThenSignInKeepsWorking() throws Exception {
        for (Optional<String> iss : java.util.List.of(Optional.<String>empty(), Optional.of("https://github.com/login/oauth"))) {
            github.sendIss(iss);
            Browser browser = new Browser();
            RelyingParty app = app();
            RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
            HttpResponse<String> callback = signIn(browser, auth, iss.isPresent() ? "583231" : "9919");
            Map<String, String> q = Browser.query(Browser.location(callback)); // straight back to the app (issue 16)
            assertThat(q).as("iss %s", iss).containsKey("code");
            HttpResponse<String> tokens = app.exchange(q.get("code"), auth.verifier());
            assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
            assertThat(app.validateIdToken(RelyingParty.json(tokens).path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256)
                    .getStringClaim("email")).isEqualTo(iss.isPresent() ? "octo583231@example.com" : "octo9919@example.com");
        }
    }

    @Test
    void callbackWhenGitHubSendsAnotherIssuerThenRejectedNamingBothValues() {
        for (String other : new String[] {"https://github.com/login/oauth/", "https://authjs.dev", "https://github.example.com/login/oauth"}) {
            github.sendIss(Optional.of(other));
            HttpResponse<String> r = signIn(new Browser(), app().authorize("openid email", Map.of()), "1");
            ErrorPage page = ErrorPage.of(r);
            assertThat(page.reason()).as(other).isEqualTo("upstream.issuer_mismatch");
            assertThat(page.provider()).contains("GitHub");
            assertThat(log.detail(page.correlationId())).as(other)
                    .isEqualTo("iss mismatch: expected 'https://github.com/login/oauth', received '" + other + "'");
            assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("signet_session="));
        }
        github.sendIss(Optional.of(GitHubFake.GITHUB_ISSUER));
    }
}
