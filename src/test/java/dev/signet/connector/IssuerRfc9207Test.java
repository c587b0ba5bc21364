package dev.signet.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * RFC 9207 §2.4 beyond what {@link ConnectorContract} checks for every kind (mismatch, absent but
 * advertised, absent and not advertised, present and right): the {@code iss} check applies to error
 * responses too, so a mix-up attacker cannot pick the error page; an upstream {@code error} is
 * {@code upstream.denied}; and the multi-tenant issuer template (Entra) matches one tenant segment only.
 * Upstream: mock-oauth2-server with {@code discovery: manual}.
 */
class IssuerRfc9207Test {

    static MockOAuth2Server upstream;
    static SignetHarness signet;
    static String upstreamIssuer;

    static final String APP_SECRET = "app-secret-0123456789";
    static final URI APP_REDIRECT = URI.create("http://localhost:9/cb");

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: ${APP_SECRET}
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: strict
                    kind: oidc
                    name: Strict IdP
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret
                    discovery: manual
                    authorization_endpoint: ${UPSTREAM_AUTHORIZE}
                    token_endpoint: ${UPSTREAM_TOKEN}
                    jwks_uri: ${UPSTREAM_JWKS}
                    iss_parameter_supported: true
                  - id: quiet
                    kind: oidc
                    name: Quiet IdP
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret
                    discovery: manual
                    authorization_endpoint: ${UPSTREAM_AUTHORIZE}
                    token_endpoint: ${UPSTREAM_TOKEN}
                    jwks_uri: ${UPSTREAM_JWKS}
                    iss_parameter_supported: false
            """;

    @BeforeAll
    static void start() {
        upstream = new MockOAuth2Server();
        upstream.start();
        upstreamIssuer = upstream.issuerUrl("corp").toString();
        // the endpoints mock-oauth2-server's own discovery document lists for issuer "corp"
        JsonNode discovery = RelyingParty.json(new Browser().get(URI.create(upstreamIssuer + "/.well-known/openid-configuration")));
        assertThat(discovery.path("issuer").asString()).isEqualTo(upstreamIssuer);
        assertThat(discovery.path("authorization_endpoint").asString()).isEqualTo(upstream.url("corp/authorize").toString());
        assertThat(discovery.path("token_endpoint").asString()).isEqualTo(upstream.url("corp/token").toString());
        assertThat(discovery.path("jwks_uri").asString()).isEqualTo(upstream.url("corp/jwks").toString());
        assertThat(discovery.has("authorization_response_iss_parameter_supported")).isFalse();
        signet = SignetHarness.start(CONFIG, Map.of("APP_SECRET", APP_SECRET, "UPSTREAM", upstreamIssuer,
                "UPSTREAM_AUTHORIZE", upstream.url("corp/authorize").toString(),
                "UPSTREAM_TOKEN", upstream.url("corp/token").toString(),
                "UPSTREAM_JWKS", upstream.url("corp/jwks").toString()));
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.shutdown();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of(APP_SECRET), APP_REDIRECT);
    }

    /** authorize → sign-in page → /signin/{connection} → the upstream authorization URL (Signet's state in it). */
    static URI startSignIn(Browser browser, RelyingParty.Authorization auth, String connection) {
        HttpResponse<String> page = browser.get(auth.url());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        URI toUpstream = Browser.location(browser.get(Browser.link(page.body(), "/signin/" + connection + "?")));
        assertThat(toUpstream.toString()).startsWith(upstream.url("corp/authorize").toString());
        assertThat(Browser.query(toUpstream)).containsKeys("state", "nonce")
                .containsEntry("redirect_uri", signet.url("/callback/" + connection).toString());
        assertThat(browser.cookie("signet_upstream_state")).isPresent();
        return toUpstream;
    }

    static String stateOf(URI upstreamAuthorize) {
        return Browser.query(upstreamAuthorize).get("state");
    }

    /** Calls Signet's callback directly, as if the upstream had redirected the browser there. */
    static HttpResponse<String> callback(Browser browser, String connection, Map<String, String> params) {
        return browser.get(URI.create(signet.url("/callback/" + connection) + "?" + Browser.form(params)));
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static void assertNoSession(HttpResponse<String> r) {
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("signet_session="));
    }

    @Test
    void callbackWhenErrorResponseCarriesForeignIssThenIssuerMismatchNotDenied() {
        Browser browser = new Browser();
        URI toUpstream = startSignIn(browser, app().authorize("openid email", Map.of()), "strict");
        HttpResponse<String> r = callback(browser, "strict", params("error", "access_denied",
                "state", stateOf(toUpstream), "iss", "https://evil.example"));
        // RFC 9207 §2.4 applies to error responses as well: a mix-up attacker must not pick the page
        assertThat(ErrorPage.of(r).reason()).isEqualTo("upstream.issuer_mismatch");
        assertNoSession(r);
    }

    @Test
    void callbackWhenUpstreamReturnsAccessDeniedThenDeniedPageWithRetry() {
        Browser browser = new Browser();
        URI toUpstream = startSignIn(browser, app().authorize("openid email", Map.of()), "strict");
        HttpResponse<String> r = callback(browser, "strict", params("error", "access_denied",
                "error_description", "The user said no", "state", stateOf(toUpstream), "iss", upstreamIssuer));
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.reason()).isEqualTo("upstream.denied");
        assertThat(page.provider()).contains("Strict IdP");
        assertThat(page.retryUrl()).hasValueSatisfying(u -> assertThat(u).contains("/signin/strict"));
        assertThat(page.correlationId()).isNotBlank();
        assertNoSession(r);
    }

    @Test
    void issuerTemplateWhenOneTenantSegmentThenAcceptedOtherwiseNot() {
        IssuerExpectation e = new IssuerExpectation("https://login.microsoftonline.com/{tenantid}/v2.0", false);
        assertThat(e.accepts("https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0")).isTrue();
        assertThat(e.accepts("https://login.microsoftonline.com//v2.0")).isFalse();
        assertThat(e.accepts("https://login.microsoftonline.com/a/b/v2.0")).isFalse();
        assertThat(e.accepts("https://login.microsoftonline.com.evil.example/x/v2.0")).isFalse();
        assertThat(e.accepts("https://evil.example/9188040d/v2.0")).isFalse();
        assertThat(new IssuerExpectation("https://github.com/login/oauth", false).accepts("https://github.com/login/oauth/")).isFalse();
    }
}
