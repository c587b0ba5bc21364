package dev.signet.failure;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.session.Sessions;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regression for postmortem 000: a stricter validation (here: an upstream whose token response
 * suddenly lacks a field, or has it with the wrong type) let errors escape the controlled error
 * path, produced null sessions and failed 100% of sign-ins. In Signet the failure stays typed and
 * local: a page naming the provider and the reason, no session and no cookie for that sign-in,
 * while existing sessions and other connections keep working.
 */
class Incident000StricterValidationTest {

    static WireMockServer upstream;
    static SignetHarness signet;

    @BeforeAll
    static void start() {
        upstream = new WireMockServer(options().dynamicPort());
        upstream.start();
        String base = upstream.baseUrl();
        signet = SignetHarness.start((SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """ + UpstreamFaultsTest.connection("missing", "Upgraded IdP", base + "/missing")
                + UpstreamFaultsTest.connection("wrongtype", "Retyped IdP", base + "/wrongtype")
                + UpstreamFaultsTest.connection("garbage", "Garbled IdP", base + "/garbage")).replace("timeout: 1s", "timeout: 10s"));
        upstream.stubFor(post(urlPathEqualTo("/missing/token")).willReturn(okJson("{\"access_token\":\"at\",\"token_type\":\"Bearer\"}")));
        upstream.stubFor(post(urlPathEqualTo("/wrongtype/token")).willReturn(okJson(
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":42,\"unknown_new_field\":{\"x\":1}}")));
        upstream.stubFor(post(urlPathEqualTo("/garbage/token")).willReturn(okJson(
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"id_token\":\"not-a-jwt\"}")));
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.stop();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
    }

    static ErrorPage failedSignIn(String connection, Browser b) {
        // the callback step goes through the real journey up to the upstream's answer
        RelyingParty.Authorization auth = app().authorize("openid email", Map.of("connection", connection));
        URI atUpstream = Browser.location(b.get(Browser.location(b.get(auth.url()))));
        String state = Browser.query(atUpstream).get("state");
        HttpResponse<String> r = b.get(signet.url("/callback/" + connection + "?code=one-time-code&state=" + state));
        assertThat(r.headers().allValues("Set-Cookie")).as("no session cookie for a failed sign-in")
                .noneMatch(c -> c.startsWith(Sessions.COOKIE + "=") && !c.startsWith(Sessions.COOKIE + "=;"));
        return ErrorPage.of(r);
    }

    @Test
    void callbackWhenUpstreamDropsOrRetypesAFieldThenTypedPageNotNullSessionAndNotTotalFailure() {
        // a user signed in before the upstream changed
        Browser signedIn = new Browser();
        DevSignIn.signIn(signedIn, app().authorize("openid email", Map.of()).url(), "before@example.com");

        ErrorPage missing = failedSignIn("missing", new Browser());
        assertThat(missing.reason()).isEqualTo("upstream.field_missing");
        assertThat(missing.provider()).contains("Upgraded IdP");
        assertThat(missing.retryUrl()).isPresent();
        assertThat(missing.correlationId()).isNotBlank();

        ErrorPage retyped = failedSignIn("wrongtype", new Browser());
        assertThat(retyped.reason()).isEqualTo("upstream.field_invalid");
        assertThat(retyped.provider()).contains("Retyped IdP");

        ErrorPage garbled = failedSignIn("garbage", new Browser());
        assertThat(garbled.reason()).isEqualTo("upstream.id_token_invalid");
        assertThat(garbled.status()).as("never an unexpected/internal error").isNotEqualTo(500);

        // not a 100% failure: the existing session still gives SSO, and another connection signs in
        RelyingParty.Authorization sso = app().authorize("openid email", Map.of());
        assertThat(Browser.query(Browser.location(signedIn.get(sso.url())))).containsKey("code");
        URI back = DevSignIn.signIn(new Browser(), app().authorize("openid email", Map.of()).url(), "after@example.com");
        assertThat(Browser.query(back)).containsKey("code").doesNotContainKey("error");
    }
}
