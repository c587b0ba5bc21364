package dev.signet.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.io.IOException;
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

/**
 * What Signet accepts from a generic OIDC upstream's token endpoint and discovery document (OIDC
 * Core §3.1.3.7, Discovery §4.3), through the running server with mock-oauth2-server as the upstream:
 * wrong {@code aud} and wrong {@code nonce} are refused, unknown claims are ignored, a discovery
 * document naming another issuer is refused, and an unreachable token endpoint is reported as such.
 */
class OidcIdTokenValidationTest {

    static MockOAuth2Server upstream;
    static SignetHarness signet;

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
                  - id: corp
                    kind: oidc
                    name: Corp IdP
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret
                    discovery: auto
                  - id: slash
                    kind: oidc
                    name: Slash IdP
                    issuer: ${UPSTREAM}/
                    client_id: signet
                    client_secret: upstream-secret
                    discovery: auto
                  - id: down
                    kind: oidc
                    name: Down IdP
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret
                    discovery: manual
                    authorization_endpoint: ${UPSTREAM_AUTHORIZE}
                    token_endpoint: http://127.0.0.1:${CLOSED_PORT}/token
                    jwks_uri: ${UPSTREAM_JWKS}
                    iss_parameter_supported: false
                    timeout: 5s
            """;

    @BeforeAll
    static void start() throws IOException {
        upstream = new MockOAuth2Server();
        upstream.start();
        signet = SignetHarness.start(CONFIG, Map.of("APP_SECRET", APP_SECRET, "UPSTREAM", upstream.issuerUrl("corp").toString(),
                "UPSTREAM_AUTHORIZE", upstream.url("corp/authorize").toString(), "UPSTREAM_JWKS", upstream.url("corp/jwks").toString(),
                "CLOSED_PORT", String.valueOf(SignetHarness.freePort())));
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.shutdown();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of(APP_SECRET), APP_REDIRECT);
    }

    /** authorize → sign-in page → /signin/{connection}: the response (a redirect to the upstream, or an error page). */
    static HttpResponse<String> signIn(Browser browser, RelyingParty.Authorization auth, String connection) {
        HttpResponse<String> page = browser.get(auth.url());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        return browser.get(Browser.link(page.body(), "/signin/" + connection + "?"));
    }

    static URI toUpstream(Browser browser, RelyingParty.Authorization auth, String connection) {
        URI u = Browser.location(signIn(browser, auth, connection));
        assertThat(u.toString()).startsWith(upstream.url("corp/authorize").toString());
        return u;
    }

    /** Follows the upstream's authorization endpoint back to Signet's callback, and calls it. */
    static HttpResponse<String> throughUpstream(Browser browser, URI upstreamAuthorize, String connection) {
        URI callback = Browser.location(browser.get(upstreamAuthorize));
        assertThat(callback.toString()).startsWith(signet.url("/callback/" + connection) + "?");
        return browser.get(callback);
    }

    static void assertUpstreamErrorPage(HttpResponse<String> r, String reason, String provider, String connection) {
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.reason()).isEqualTo(reason);
        assertThat(page.status()).isEqualTo(502);
        assertThat(page.provider()).contains(provider);
        assertThat(page.retryUrl()).hasValueSatisfying(u -> assertThat(u).contains("/signin/" + connection));
        assertThat(page.correlationId()).isNotBlank().isEqualTo(r.headers().firstValue("X-Correlation-Id").orElseThrow());
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("signet_session="));
    }

    @Test
    void callbackWhenIdTokenAudienceIsAnotherClientThenIdTokenInvalid() {
        Browser browser = new Browser();
        URI toUpstream = toUpstream(browser, app().authorize("openid email", Map.of()), "corp");
        // mock-oauth2-server 6.0.2 puts the token request's client_id into the ID token's aud and uses the
        // callback's audience only for the access token; an "aud" claim from the callback overrides it
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "alice", "JWT", List.of("someone-else"),
                Map.of("aud", List.of("someone-else")), 3600));
        assertUpstreamErrorPage(throughUpstream(browser, toUpstream, "corp"), "upstream.id_token_invalid", "Corp IdP", "corp");
    }

    @Test
    void callbackWhenIdTokenNonceIsNotSignetsThenIdTokenInvalid() {
        Browser browser = new Browser();
        URI toUpstream = toUpstream(browser, app().authorize("openid email", Map.of()), "corp");
        // the upstream is asked for another nonce, so its ID token carries that one, not Signet's
        Map<String, String> q = new LinkedHashMap<>(Browser.query(toUpstream));
        assertThat(q.put("nonce", "not-signets-nonce")).isNotNull().isNotEqualTo("not-signets-nonce");
        URI forged = URI.create(upstream.url("corp/authorize") + "?" + Browser.form(q));
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "alice", "JWT", List.of("signet"), Map.of(), 3600));
        assertUpstreamErrorPage(throughUpstream(browser, forged, "corp"), "upstream.id_token_invalid", "Corp IdP", "corp");
    }

    @Test
    void signInWhenDiscoveryNamesAnotherIssuerThenIssuerMismatch() {
        // configured issuer ".../corp/" (trailing slash); the discovery document at
        // ".../corp/.well-known/openid-configuration" says ".../corp": not identical (Discovery §4.3)
        Browser browser = new Browser();
        HttpResponse<String> r = signIn(browser, app().authorize("openid email", Map.of()), "slash");
        assertUpstreamErrorPage(r, "upstream.issuer_mismatch", "Slash IdP", "slash");
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("signet_upstream_state="));

        // the connection is not cached as good: the next attempt checks again and refuses again
        HttpResponse<String> retry = browser.get(URI.create(ErrorPage.of(r).retryUrl().orElseThrow()));
        assertUpstreamErrorPage(retry, "upstream.issuer_mismatch", "Slash IdP", "slash");
    }

    @Test
    void callbackWhenTokenEndpointUnreachableThenUnreachablePageWithRetry() {
        Browser browser = new Browser();
        URI toUpstream = toUpstream(browser, app().authorize("openid email", Map.of()), "down");
        HttpResponse<String> r = throughUpstream(browser, toUpstream, "down");
        assertUpstreamErrorPage(r, "upstream.unreachable", "Down IdP", "down");

        // the retry link starts the connection's sign-in again
        URI again = Browser.location(browser.get(URI.create(ErrorPage.of(r).retryUrl().orElseThrow())));
        assertThat(again.toString()).startsWith(upstream.url("corp/authorize").toString());
    }
}
