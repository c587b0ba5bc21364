package dev.signet.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
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
 * Incident 002 (seeds/002): a change for custom domains produced malformed upstream authorization
 * URLs for every tenant on a custom domain, and users landed on a 404. Here a second tenant with a
 * default and a custom domain signs in through mock-oauth2-server on its custom domain: the upstream
 * authorization URL is well-formed, answers (not 404), carries a callback on the custom domain, and
 * everything after it (callback, resume, iss, tokens, discovery, JWKS) stays on that domain.
 * Host names under {@code .test} resolve to 127.0.0.1 ({@code harness.TestHostsResolver}).
 */
class Incident002CustomDomainSignInTest {

    static MockOAuth2Server upstream;
    static SignetHarness signet;
    static URI custom;
    static URI acmeDefault;

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                connections:
                  - id: dev
                    kind: dev-unsafe
              - name: acme
                issuer: http://acme.test:${PORT}
                custom_domains: ["http://login.acme.test:${PORT}/"]
                display_name: Acme Corp
                branding:
                  logo_url: https://cdn.example.com/acme.png
                  primary_color: "#ff0066"
                clients:
                  - id: acme-app
                    secret: acme-app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: corp
                    kind: oidc
                    name: Acme SSO
                    issuer: ${UPSTREAM}
                    client_id: signet-acme
                    client_secret: upstream-secret
                    discovery: auto
            """;

    @BeforeAll
    static void start() {
        upstream = new MockOAuth2Server();
        upstream.start();
        signet = SignetHarness.start(CONFIG, Map.of("UPSTREAM", upstream.issuerUrl("acme").toString()));
        custom = URI.create("http://login.acme.test:" + signet.issuer().getPort());
        acmeDefault = URI.create("http://acme.test:" + signet.issuer().getPort());
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.shutdown();
    }

    @Test
    void signInWhenTenantOnCustomDomainThenUpstreamUrlWellFormedReachableAndJourneyStaysOnDomain() throws Exception {
        Browser browser = new Browser();
        RelyingParty app = new RelyingParty(custom, "acme-app", Optional.of("acme-app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());

        HttpResponse<String> page = browser.get(auth.url());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Acme Corp", "Acme SSO", "https://cdn.example.com/acme.png", "#ff0066");
        URI signIn = Browser.link(page.body(), "/signin/corp");
        assertThat(signIn.getAuthority()).isEqualTo(custom.getAuthority());

        // The incident: the upstream authorization URL must be well-formed and answer.
        URI upstreamAuthorize = Browser.location(browser.get(signIn));
        URI reparsed = new URI(upstreamAuthorize.toString());
        assertThat(reparsed.getScheme()).isEqualTo("http");
        assertThat(reparsed.getAuthority()).isEqualTo(upstream.issuerUrl("acme").uri().getAuthority());
        assertThat(reparsed.getPath()).isEqualTo("/acme/authorize");
        Map<String, String> uq = Browser.query(upstreamAuthorize);
        assertThat(uq).containsEntry("redirect_uri", custom + "/callback/corp").containsEntry("client_id", "signet-acme")
                .containsEntry("response_type", "code").containsKeys("state", "nonce", "code_challenge");

        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("acme", "carol", "JWT", List.of("signet-acme"),
                Map.of("email", "carol@acme.example", "email_verified", true), 3600));
        HttpResponse<String> atUpstream = browser.get(upstreamAuthorize);
        assertThat(atUpstream.statusCode()).as("upstream authorization URL answers with a redirect, not 404").isEqualTo(302);
        URI callback = Browser.location(atUpstream);
        assertThat(callback.toString()).startsWith(custom + "/callback/corp?");

        HttpResponse<String> afterCallback = browser.get(callback);
        URI back = Browser.location(afterCallback); // straight back to the app (issue 16), iss the custom domain's
        Map<String, String> bq = Browser.query(back);
        assertThat(bq).containsEntry("iss", custom.toString()).containsEntry("state", auth.state());

        HttpResponse<String> tokenResponse = app.exchange(bq.get("code"), auth.verifier());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        JsonNode tokens = RelyingParty.json(tokenResponse);
        JWTClaimsSet id = app.validateIdToken(tokens.path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256);
        assertThat(id.getIssuer()).isEqualTo(custom.toString());
        assertThat(id.getStringClaim("email")).isEqualTo("carol@acme.example");
        assertThat(app.verifyAccessToken(tokens.path("access_token").asString()).getIssuer()).isEqualTo(custom.toString());
        assertThat(app.userinfo(tokens.path("access_token").asString()).statusCode()).isEqualTo(200);

        // The same tenant's other domain is another issuer: its userinfo does not take this token.
        RelyingParty onDefault = new RelyingParty(acmeDefault, "acme-app", Optional.empty(), URI.create("http://localhost:9/cb"));
        assertThat(onDefault.userinfo(tokens.path("access_token").asString()).statusCode()).isEqualTo(401);
    }

    @Test
    void discoveryWhenServedOnEachDomainThenEveryUrlIsOnThatDomain() {
        Browser browser = new Browser();
        for (URI domain : List.of(custom, acmeDefault, signet.issuer())) {
            HttpResponse<String> r = browser.get(URI.create(domain + "/.well-known/openid-configuration"));
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode m = RelyingParty.json(r);
            assertThat(m.path("issuer").asString()).isEqualTo(domain.toString());
            for (String k : List.of("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")) {
                assertThat(URI.create(m.path(k).asString()).getAuthority()).as(k + " on " + domain).isEqualTo(domain.getAuthority());
            }
            assertThat(browser.get(URI.create(m.path("jwks_uri").asString())).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void signInPageWhenOtherTenantThenItsOwnConnectionsAndNoBranding() {
        Browser browser = new Browser();
        HttpResponse<String> home = browser.get(signet.url("/"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body()).doesNotContain("Acme", "acme.png");
        HttpResponse<String> acmeHome = browser.get(URI.create(custom + "/"));
        assertThat(acmeHome.body()).contains("Acme Corp").doesNotContain("dev-unsafe");
    }

    /** The rollback in incident 002 was slowed by cached pages: pages are never cached, assets are named by content. */
    @Test
    void pagesWhenServedThenNoStoreAndStylesheetContentHashedImmutable() throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> home = browser.get(URI.create(custom + "/"));
        assertThat(home.headers().firstValue("Cache-Control")).contains("no-store");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("href=\"([^\"]*/assets/signet\\.([0-9a-f]{16})\\.css)\"")
                .matcher(home.body());
        assertThat(m.find()).as(home.body()).isTrue();
        URI css = URI.create(m.group(1));
        assertThat(css.getAuthority()).isEqualTo(custom.getAuthority());
        HttpResponse<String> sheet = browser.get(css);
        assertThat(sheet.statusCode()).isEqualTo(200);
        assertThat(sheet.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        assertThat(sheet.headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(sheet.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 16);
        assertThat(m.group(2)).isEqualTo(hash);
        assertThat(browser.get(URI.create(custom + "/assets/signet.0000000000000000.css")).statusCode()).isEqualTo(404);
    }
}
