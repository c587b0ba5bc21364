package dev.signet.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The checks on every upstream callback, through the running server: RFC 9207 §2.4 {@code iss}
 * (present and different → reject; absent while advertised → reject; absent and not advertised →
 * accept), {@code state} bound to the browser (RFC 6749 §10.12), and an upstream {@code error}.
 * Upstream: mock-oauth2-server (which never sends {@code iss} on its callback), configured with
 * {@code discovery: manual} so each connection states whether the upstream advertises {@code iss}.
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
    void callbackWhenIssDiffersThenIssuerMismatchPageNamingProviderWithRetry() {
        for (String[] conn : new String[][] {{"strict", "Strict IdP"}, {"quiet", "Quiet IdP"}}) {
            Browser browser = new Browser();
            URI toUpstream = startSignIn(browser, app().authorize("openid email", Map.of()), conn[0]);
            HttpResponse<String> r = callback(browser, conn[0],
                    params("code", "some-code", "state", stateOf(toUpstream), "iss", "https://evil.example"));

            ErrorPage page = ErrorPage.of(r);
            assertThat(page.status()).as(conn[0]).isEqualTo(502);
            assertThat(page.reason()).as(conn[0]).isEqualTo("upstream.issuer_mismatch");
            assertThat(page.provider()).as(conn[0]).contains(conn[1]);
            assertThat(page.correlationId()).isNotBlank().isEqualTo(r.headers().firstValue("X-Correlation-Id").orElseThrow());
            assertThat(page.retryUrl()).as(conn[0]).hasValueSatisfying(u -> assertThat(u).contains("/signin/" + conn[0]));
            assertNoSession(r);

            // the retry link restarts this connection's sign-in for the same request: a fresh state
            URI again = Browser.location(browser.get(URI.create(page.retryUrl().orElseThrow())));
            assertThat(again.toString()).startsWith(upstream.url("corp/authorize").toString());
            assertThat(stateOf(again)).isNotEqualTo(stateOf(toUpstream));
        }
    }

    @Test
    void callbackWhenIssAbsentButAdvertisedThenIssuerMissing() {
        Browser browser = new Browser();
        URI toUpstream = startSignIn(browser, app().authorize("openid email", Map.of()), "strict");
        // direct call without iss
        HttpResponse<String> direct = callback(browser, "strict", params("code", "some-code", "state", stateOf(toUpstream)));
        ErrorPage page = ErrorPage.of(direct);
        assertThat(page.status()).isEqualTo(502);
        assertThat(page.reason()).isEqualTo("upstream.issuer_missing");
        assertThat(page.provider()).contains("Strict IdP");
        assertThat(page.retryUrl()).hasValueSatisfying(u -> assertThat(u).contains("/signin/strict"));
        assertThat(page.correlationId()).isNotBlank();
        assertNoSession(direct);

        // the real upstream's answer (mock-oauth2-server sends no iss) is refused the same way
        URI fromUpstream = Browser.location(browser.get(toUpstream));
        assertThat(fromUpstream.toString()).startsWith(signet.url("/callback/strict") + "?");
        assertThat(Browser.query(fromUpstream)).containsKey("code").doesNotContainKey("iss");
        HttpResponse<String> real = browser.get(fromUpstream);
        assertThat(ErrorPage.of(real).reason()).isEqualTo("upstream.issuer_missing");
        assertNoSession(real);
    }

    @Test
    void callbackWhenIssAbsentAndNotAdvertisedThenSignInCompletes() throws Exception {
        Browser browser = new Browser();
        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        URI toUpstream = startSignIn(browser, auth, "quiet");
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "quinn", "JWT", List.of("signet"),
                Map.of("email", "quinn@example.com", "email_verified", true), 3600));
        URI fromUpstream = Browser.location(browser.get(toUpstream));
        assertThat(Browser.query(fromUpstream)).containsKey("code").doesNotContainKey("iss");

        JWTClaimsSet id = completeToIdToken(browser, app, auth, fromUpstream);
        assertThat(id.getStringClaim("email")).isEqualTo("quinn@example.com");
    }

    @Test
    void callbackWhenIssEqualsConfiguredIssuerWhileAdvertisedThenSignInCompletes() throws Exception {
        Browser browser = new Browser();
        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        URI toUpstream = startSignIn(browser, auth, "strict");
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "sam", "JWT", List.of("signet"),
                Map.of("email", "sam@example.com", "email_verified", true), 3600));
        URI fromUpstream = Browser.location(browser.get(toUpstream));
        // the answer an RFC 9207 upstream would send: the same, plus its issuer
        URI withIss = URI.create(fromUpstream + "&iss=" + java.net.URLEncoder.encode(upstreamIssuer, java.nio.charset.StandardCharsets.UTF_8));

        JWTClaimsSet id = completeToIdToken(browser, app, auth, withIss);
        assertThat(id.getStringClaim("email")).isEqualTo("sam@example.com");
    }

    private static JWTClaimsSet completeToIdToken(Browser browser, RelyingParty app, RelyingParty.Authorization auth, URI callback)
            throws Exception {
        HttpResponse<String> afterCallback = browser.get(callback);
        assertThat(afterCallback.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("signet_session="));
        URI resume = Browser.location(afterCallback);
        assertThat(resume.getPath()).isEqualTo("/authorize/resume");
        URI back = Browser.location(browser.get(resume));
        Map<String, String> bq = Browser.query(back);
        assertThat(back.toString()).startsWith(APP_REDIRECT + "?");
        assertThat(bq).containsEntry("state", auth.state()).containsEntry("iss", signet.issuer().toString()).containsKey("code");
        HttpResponse<String> tokens = app.exchange(bq.get("code"), auth.verifier());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return app.validateIdToken(RelyingParty.json(tokens).path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256);
    }

    @Test
    void callbackWhenStateDoesNotMatchCookieThenStateMismatch() {
        Browser browser = new Browser();
        URI toUpstream = startSignIn(browser, app().authorize("openid email", Map.of()), "quiet");

        // a state Signet never issued
        HttpResponse<String> unknown = callback(browser, "quiet", params("code", "c", "state", RelyingParty.random()));
        ErrorPage p1 = ErrorPage.of(unknown);
        assertThat(p1.status()).isEqualTo(400);
        assertThat(p1.reason()).isEqualTo("upstream.state_mismatch");
        assertThat(p1.provider()).contains("Quiet IdP");
        assertThat(p1.correlationId()).isNotBlank();
        assertNoSession(unknown);

        // the right state, but from a browser that does not hold the state cookie
        HttpResponse<String> noCookie = callback(new Browser(), "quiet", params("code", "c", "state", stateOf(toUpstream)));
        ErrorPage p2 = ErrorPage.of(noCookie);
        assertThat(p2.status()).isEqualTo(400);
        assertThat(p2.reason()).isEqualTo("upstream.state_mismatch");
        assertNoSession(noCookie);

        // login CSRF: another browser's genuine state delivered to this browser (cookie holds its own state)
        Browser attacker = new Browser();
        URI attackersUpstream = startSignIn(attacker, app().authorize("openid email", Map.of()), "quiet");
        HttpResponse<String> csrf = callback(browser, "quiet", params("code", "c", "state", stateOf(attackersUpstream)));
        ErrorPage p3 = ErrorPage.of(csrf);
        assertThat(p3.status()).isEqualTo(400);
        assertThat(p3.reason()).isEqualTo("upstream.state_mismatch");
        assertNoSession(csrf);

        // no state at all
        HttpResponse<String> none = callback(browser, "quiet", params("code", "c"));
        assertThat(ErrorPage.of(none).reason()).isEqualTo("upstream.state_mismatch");
        assertNoSession(none);
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
}
