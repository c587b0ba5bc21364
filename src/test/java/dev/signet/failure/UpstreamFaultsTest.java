package dev.signet.failure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.LogCapture;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md failure policy, row "upstream token/userinfo endpoint — timeout, 5xx, reset": bounded
 * retry within a budget (only where safe), then an error page naming the provider with a retry
 * button and a correlation id; a circuit breaker per connection; other connections unaffected.
 * Faults are real HTTP faults from a WireMock upstream.
 */
class UpstreamFaultsTest {

    static WireMockServer upstream;
    static SignetHarness signet;

    static String connection(String id, String name, String base) {
        return """
                      - id: %s
                        kind: oidc
                        name: %s
                        issuer: %s
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: manual
                        authorization_endpoint: %s/authorize
                        token_endpoint: %s/token
                        jwks_uri: %s/jwks
                        iss_parameter_supported: false
                        timeout: 1s
                """.formatted(id, name, base, base, base, base);
    }

    @BeforeAll
    static void start() throws Exception {
        upstream = new WireMockServer(options().dynamicPort());
        upstream.start();
        String wm = upstream.baseUrl();
        int closed = SignetHarness.freePort();
        String yaml = SignetHarness.server() + """
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
                """ + connection("slow", "Slow IdP", wm + "/slow") + connection("broken", "Broken IdP", wm + "/broken")
                + connection("reset", "Resetting IdP", wm + "/reset") + connection("dead", "Dead IdP", wm + "/dead")
                + connection("wrongsecret", "Picky IdP", wm + "/wrongsecret") + connection("badgrant", "Strict IdP", wm + "/badgrant")
                + connection("refused", "Refusing IdP", "http://127.0.0.1:" + closed + "/x") + """
                      - id: auto
                        kind: oidc
                        name: Flaky Discovery IdP
                        issuer: %s/auto
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                        timeout: 2s
                """.formatted(wm);
        signet = SignetHarness.start(yaml);
        upstream.stubFor(post(urlPathEqualTo("/slow/token")).willReturn(okJson("{}").withFixedDelay(4_000)));
        upstream.stubFor(post(urlPathEqualTo("/broken/token")).willReturn(aResponse().withStatus(503)));
        upstream.stubFor(post(urlPathEqualTo("/reset/token")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        upstream.stubFor(post(urlPathEqualTo("/dead/token")).willReturn(aResponse().withStatus(500)));
        upstream.stubFor(post(urlPathEqualTo("/wrongsecret/token")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\"}")));
        upstream.stubFor(post(urlPathEqualTo("/badgrant/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_grant\"}")));
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.stop();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
    }

    /** Starts a sign-in at {@code connection} and returns the callback URL the upstream would send the browser to. */
    static URI callback(Browser b, String connection) {
        RelyingParty.Authorization auth = app().authorize("openid email", Map.of("connection", connection));
        URI signIn = Browser.location(b.get(auth.url()));
        URI atUpstream = Browser.location(b.get(signIn));
        String state = Browser.query(atUpstream).get("state");
        return signet.url("/callback/" + connection + "?code=one-time-code&state=" + state);
    }

    static ErrorPage assertProviderPage(URI callback, Browser b, String provider, String reason) {
        ErrorPage page = ErrorPage.of(b.get(callback));
        assertThat(page.reason()).isEqualTo(reason);
        assertThat(page.provider()).contains(provider);
        assertThat(page.correlationId()).isNotBlank();
        assertThat(page.retryUrl()).as("Try again restarts this connection's sign-in").hasValueSatisfying(u -> assertThat(u).contains("/signin/"));
        return page;
    }

    @Test
    void callbackWhenTokenEndpointSlowerThanTimeoutThenProviderPageAndCodeNotResent() {
        Browser b = new Browser();
        assertProviderPage(callback(b, "slow"), b, "Slow IdP", "upstream.unreachable");
        // a read timeout after sending may mean the code was redeemed: never sent twice
        upstream.verify(1, postRequestedFor(urlPathEqualTo("/slow/token")));
    }

    @Test
    void callbackWhenUpstreamRefusesSignetsClientCredentialsThenItsOwnReasonTellingToCheckThem() {
        Browser b = new Browser();
        try (LogCapture log = new LogCapture()) {
            ErrorPage page = assertProviderPage(callback(b, "wrongsecret"), b, "Picky IdP", "upstream.client_rejected");
            assertThat(log.detail(page.correlationId())).contains("HTTP 401 error=invalid_client")
                    .contains("check the connection's client_id and client_secret");
        }
        upstream.verify(1, postRequestedFor(urlPathEqualTo("/wrongsecret/token")));
    }

    @Test
    void callbackWhenUpstreamRefusesTheCodeThenBadResponseNotCredentials() {
        Browser b = new Browser();
        assertProviderPage(callback(b, "badgrant"), b, "Strict IdP", "upstream.bad_response");
    }

    @Test
    void signInPageWhenAConnectionHasNoKnownProblemThenOfferedAsALink() {
        // order-independent: the breaker test of this class may already have paused "dead"
        String chooser = new Browser().get(app().authorize("openid email", Map.of()).url()).body();
        assertThat(chooser).contains("/signin/dev?").contains("/signin/auto?").doesNotContain("Dev Sign-in is unavailable")
                .doesNotContain("Flaky Discovery IdP is unavailable");
    }

    @Test
    void callbackWhenTokenEndpointAnswers5xxThenProviderPageAndCodeNotResent() {
        Browser b = new Browser();
        assertProviderPage(callback(b, "broken"), b, "Broken IdP", "upstream.unreachable");
        upstream.verify(1, postRequestedFor(urlPathEqualTo("/broken/token")));
    }

    @Test
    void callbackWhenConnectionResetThenProviderPageAndCodeNotResent() {
        Browser b = new Browser();
        assertProviderPage(callback(b, "reset"), b, "Resetting IdP", "upstream.unreachable");
        upstream.verify(1, postRequestedFor(urlPathEqualTo("/reset/token")));
    }

    @Test
    void callbackWhenConnectionRefusedThenRetriedAndProviderPage() {
        // the request never left: retrying the exchange is safe; after the bounded retries, the page
        Browser b = new Browser();
        assertProviderPage(callback(b, "refused"), b, "Refusing IdP", "upstream.unreachable");
    }

    @Test
    void signInWhenDiscoveryFailsOnceThenRetriedAndSignInProceeds() {
        String doc = """
                {"issuer":"%1$s/auto","authorization_endpoint":"%1$s/auto/authorize","token_endpoint":"%1$s/auto/token",
                 "jwks_uri":"%1$s/auto/jwks","response_types_supported":["code"]}""".formatted(upstream.baseUrl());
        upstream.stubFor(get(urlPathEqualTo("/auto/.well-known/openid-configuration")).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        upstream.stubFor(get(urlPathEqualTo("/auto/.well-known/openid-configuration")).inScenario("flaky")
                .whenScenarioStateIs("up").willReturn(okJson(doc)));
        Browser b = new Browser();
        RelyingParty.Authorization auth = app().authorize("openid email", Map.of("connection", "auto"));
        URI atUpstream = Browser.location(b.get(Browser.location(b.get(auth.url()))));
        assertThat(atUpstream.toString()).startsWith(upstream.baseUrl() + "/auto/authorize?");
        upstream.verify(2, getRequestedFor(urlPathEqualTo("/auto/.well-known/openid-configuration")));
    }

    @Test
    void callbackWhenUpstreamKeepsFailingThenBreakerOpensFastPageAndOtherConnectionsWork() {
        // the first failures reach the upstream, each with the provider page
        for (int i = 0; i < 5; i++) {
            Browser b = new Browser();
            assertProviderPage(callback(b, "dead"), b, "Dead IdP", "upstream.unreachable");
        }
        upstream.verify(5, postRequestedFor(urlPathEqualTo("/dead/token")));
        // then the breaker is open: a clear page naming the provider, and the dead upstream is not called
        Browser b = new Browser();
        ErrorPage open = assertProviderPage(callback(b, "dead"), b, "Dead IdP", "upstream.circuit_open");
        assertThat(open.status()).isEqualTo(503);
        upstream.verify(5, postRequestedFor(urlPathEqualTo("/dead/token")));
        // the sign-in page says so, offers a retry and the other connections, and no longer sends browsers there
        String chooser = new Browser().get(app().authorize("openid email", Map.of()).url()).body();
        assertThat(chooser).contains("Dead IdP is unavailable right now").contains("id=\"retry\"")
                .doesNotContain("/signin/dead?").contains("/signin/dev?").contains("Continue with Dev Sign-in")
                .contains("Continue with Slow IdP");
        // meanwhile another connection signs in normally
        URI back = DevSignIn.signIn(new Browser(), app().authorize("openid email", Map.of()).url(), "still.works@example.com");
        assertThat(Browser.query(back)).containsKey("code").doesNotContainKey("error");
    }
}
