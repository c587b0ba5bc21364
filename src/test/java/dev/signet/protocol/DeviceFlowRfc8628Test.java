package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * RFC 8628 on the running server. A CLI-like client ({@link Cli}) asks for a device authorization
 * and polls the token endpoint between the steps of a browser that types the code on /device and
 * signs in through the dev connection, or through an OIDC upstream (mock-oauth2-server): exact
 * errors {@code authorization_pending}, {@code slow_down} (the interval grows by 5 s),
 * {@code expired_token}, {@code access_denied}; codes single use; tenants are walls; typing codes
 * is rate-limited per address. Signet's clock is frozen: polls advance it by the interval.
 */
class DeviceFlowRfc8628Test {

    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static MockOAuth2Server upstream;
    static SignetHarness signet;
    static URI issuer;

    @BeforeAll
    static void start() {
        upstream = new MockOAuth2Server();
        upstream.start();
        signet = SignetHarness.start("""
                server:
                  host: 127.0.0.1
                  port: ${PORT}
                  trusted_proxies: [127.0.0.1]
                data:
                  dir: ${DATA}
                rate_limits:
                  per_address: {device: 30/1m}   # the other tests type ~15 codes from 127.0.0.1; the default is 20/1m
                tenants:
                  - name: default
                    display_name: Device Tenant
                    clients:
                      - id: tv
                        name: Living Room TV
                        public: true
                        grant_types: [urn:ietf:params:oauth:grant-type:device_code, refresh_token]
                      - id: cli
                        secret: cli-secret-0123456789
                        grant_types: [urn:ietf:params:oauth:grant-type:device_code]
                      - id: web
                        secret: web-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                        name: Dev Sign-in
                      - id: corp
                        kind: oidc
                        name: Corp IdP
                        issuer: ${UPSTREAM}
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                  - name: acme
                    issuer: "http://acme.test:${PORT}"
                    clients:
                      - id: tv
                        public: true
                        grant_types: [urn:ietf:params:oauth:grant-type:device_code]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """, Map.of("UPSTREAM", upstream.issuerUrl("corp").toString()));
        issuer = signet.issuer();
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.shutdown();
    }

    /** A device: asks once, then polls when told, moving Signet's clock by the interval first. */
    record Cli(URI issuer, String clientId, Optional<String> secret, JsonNode authorization) {

        static Cli ask(URI issuer, String clientId, Optional<String> secret, String scope) {
            Map<String, String> form = new LinkedHashMap<>(Map.of("scope", scope));
            HttpResponse<String> r = secret.isPresent() ? ClientCalls.basic(issuer, "/device_authorization", clientId, secret.get(), form)
                    : ClientCalls.form(issuer, "/device_authorization", with(form, "client_id", clientId));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            return new Cli(issuer, clientId, secret, RelyingParty.json(r));
        }

        String userCode() {
            return authorization.path("user_code").asString();
        }

        HttpResponse<String> pollNow() {
            Map<String, String> form = Map.of("grant_type", DEVICE_GRANT, "device_code", authorization.path("device_code").asString());
            return secret.isPresent() ? ClientCalls.basic(issuer, "/token", clientId, secret.get(), form)
                    : ClientCalls.form(issuer, "/token", with(form, "client_id", clientId));
        }

        /** Waits the interval (on Signet's clock), then polls. */
        HttpResponse<String> poll(long intervalSeconds) {
            signet.clock.advance(Duration.ofSeconds(intervalSeconds));
            return pollNow();
        }

        private static Map<String, String> with(Map<String, String> form, String k, String v) {
            Map<String, String> m = new LinkedHashMap<>(form);
            m.put(k, v);
            return m;
        }
    }

    static Cli tv(String scope) {
        return Cli.ask(issuer, "tv", Optional.empty(), scope);
    }

    /** The browser types the code and confirms; returns the confirmation page. */
    static HttpResponse<String> typeCode(Browser b, URI at, String code) {
        return typeCode(b, at, code, code);
    }

    static HttpResponse<String> typeCode(Browser b, URI at, String typed, String shown) {
        HttpResponse<String> confirm = b.postForm(URI.create(at + "/device"), Map.of("user_code", typed));
        assertThat(confirm.statusCode()).as(confirm.body()).isEqualTo(200);
        assertThat(confirm.body()).contains(shown);
        return confirm;
    }

    static HttpResponse<String> decide(Browser b, String code, String decision) {
        return b.postForm(URI.create(issuer + "/device"), Map.of("user_code", code, "decision", decision));
    }

    // ---- §3.1, §3.2: the device authorization request and response

    @Test
    void deviceAuthorizationWhenPublicClientThenCodesUrisExpiryAndInterval() {
        Cli cli = tv("openid profile");
        JsonNode a = cli.authorization();
        assertThat(a.path("device_code").asString()).hasSizeGreaterThanOrEqualTo(43);
        assertThat(cli.userCode()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(a.path("verification_uri").asString()).isEqualTo(issuer + "/device");
        assertThat(a.path("verification_uri_complete").asString()).isEqualTo(issuer + "/device?user_code=" + cli.userCode());
        assertThat(a.path("expires_in").asLong()).isEqualTo(600);
        assertThat(a.path("interval").asLong()).isEqualTo(5);
    }

    @Test
    void deviceAuthorizationWhenClientLacksGrantUnknownOrBadScopeThenExactErrors() {
        assertOAuthError(ClientCalls.basic(issuer, "/device_authorization", "web", "web-secret-0123456789", Map.of()), 400,
                "unauthorized_client");
        assertOAuthError(ClientCalls.form(issuer, "/device_authorization", Map.of("client_id", "nobody")), 401, "invalid_client");
        assertOAuthError(ClientCalls.basic(issuer, "/device_authorization", "cli", "wrong-secret-0123456789", Map.of()), 401,
                "invalid_client");
        assertOAuthError(ClientCalls.form(issuer, "/device_authorization", Map.of("client_id", "tv", "scope", "openid admin")), 400,
                "invalid_scope");
    }

    // ---- §3.5: polling errors

    @Test
    void pollWhenUserNotDoneThenPendingAndTooFastThenSlowDownGrowingBy5s() {
        Cli cli = tv("openid");
        assertOAuthError(cli.pollNow(), 400, "authorization_pending");
        assertOAuthError(cli.pollNow(), 400, "slow_down");            // interval 5 → 10
        assertOAuthError(cli.poll(5), 400, "slow_down");              // 5 s < 10: interval 15
        assertOAuthError(cli.poll(15), 400, "authorization_pending"); // waited the whole interval
        assertOAuthError(cli.poll(14), 400, "slow_down");
        signet.clock.advance(Duration.ofSeconds(-39));
    }

    @Test
    void pollWhenExpiredThenExpiredTokenAndTheCodeIsDeadOnThePage() {
        Cli cli = tv("openid");
        Duration past = Duration.ofSeconds(601);
        signet.clock.advance(past);
        try {
            assertOAuthError(cli.pollNow(), 400, "expired_token");
            HttpResponse<String> page = new Browser().postForm(URI.create(issuer + "/device"), Map.of("user_code", cli.userCode()));
            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body()).contains("That code is not valid");
        } finally {
            signet.clock.advance(past.negated());
        }
    }

    @Test
    void pollWhenUserDeniesOnThePageThenAccessDenied() {
        Cli cli = tv("openid");
        Browser b = new Browser();
        typeCode(b, issuer, cli.userCode());
        HttpResponse<String> denied = decide(b, cli.userCode(), "deny");
        assertThat(denied.body()).contains("Request denied");
        assertOAuthError(cli.poll(5), 400, "access_denied");
        signet.clock.advance(Duration.ofSeconds(-5));
    }

    @Test
    void pollWhenDeviceCodeUnknownOrOfAnotherClientThenInvalidGrant() {
        Cli cli = tv("openid");
        assertOAuthError(ClientCalls.form(issuer, "/token", Map.of("grant_type", DEVICE_GRANT, "device_code", "made-up", "client_id", "tv")),
                400, "invalid_grant");
        assertOAuthError(ClientCalls.basic(issuer, "/token", "cli", "cli-secret-0123456789",
                Map.of("grant_type", DEVICE_GRANT, "device_code", cli.authorization().path("device_code").asString())), 400, "invalid_grant");
        assertOAuthError(ClientCalls.form(issuer, "/token", Map.of("grant_type", DEVICE_GRANT, "client_id", "tv")), 400, "invalid_request");
    }

    // ---- end to end: a CLI polls while a browser signs in

    @Test
    void deviceFlowWhenBrowserSignsInThroughDevConnectionThenCliGetsTokensOnce() throws Exception {
        Cli cli = tv("openid email offline_access");
        Browser b = new Browser();
        assertOAuthError(cli.poll(5), 400, "authorization_pending");

        // the page from verification_uri_complete has the code filled in (a well-formed code only)
        HttpResponse<String> entry = b.get(URI.create(cli.authorization().path("verification_uri_complete").asString()));
        assertThat(entry.statusCode()).isEqualTo(200);
        assertThat(entry.body()).contains("value=\"" + cli.userCode() + "\"");
        // typed in lower case without the dash: still the code
        typeCode(b, issuer, " " + cli.userCode().replace("-", "").toLowerCase(), cli.userCode());
        assertOAuthError(cli.poll(5), 400, "authorization_pending");

        HttpResponse<String> chooser = decide(b, cli.userCode(), "approve");
        assertThat(chooser.statusCode()).as(chooser.body()).isEqualTo(200);
        assertThat(chooser.body()).contains("Living Room TV asks you to sign in");
        assertOAuthError(cli.poll(5), 400, "authorization_pending");

        URI upstream = Browser.location(b.get(Browser.link(chooser.body(), "/signin/dev")));
        Map<String, String> q = Browser.query(upstream);
        URI callback = Browser.location(b.postForm(URI.create(issuer + "/dev-upstream/dev"), Map.of("state", q.get("state"),
                "nonce", q.get("nonce"), "redirect_uri", q.get("redirect_uri"), "name", "Ada", "email", "ada@example.com")));
        HttpResponse<String> done = b.get(Browser.location(b.get(callback)));
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("Device connected").contains("Living Room TV");

        HttpResponse<String> tokens = cli.poll(5);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JsonNode t = RelyingParty.json(tokens);
        JWTClaimsSet id = JWTParser.parse(t.path("id_token").asString()).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly("tv");
        assertThat(id.getStringClaim("email")).isEqualTo("ada@example.com");
        RelyingParty tv = new RelyingParty(signet, "tv", Optional.empty(), URI.create("http://localhost:9/none"));
        // OIDC Core §3.1.3.7 by Nimbus against the published JWKS (no nonce: the device flow has none)
        new com.nimbusds.openid.connect.sdk.validators.IDTokenValidator(new com.nimbusds.oauth2.sdk.id.Issuer(issuer),
                new com.nimbusds.oauth2.sdk.id.ClientID("tv"), JWSAlgorithm.RS256, URI.create(issuer + "/jwks").toURL())
                .validate(JWTParser.parse(t.path("id_token").asString()), null);
        HttpResponse<String> userinfo = tv.userinfo(t.path("access_token").asString());
        assertThat(RelyingParty.json(userinfo).path("email").asString()).isEqualTo("ada@example.com");
        assertThat(tv.refresh(t.path("refresh_token").asString()).statusCode()).isEqualTo(200);

        // single use: the device code, and the user code on the page
        assertOAuthError(cli.poll(5), 400, "invalid_grant");
        HttpResponse<String> again = new Browser().postForm(URI.create(issuer + "/device"), Map.of("user_code", cli.userCode()));
        assertThat(again.statusCode()).isEqualTo(400);
        signet.clock.advance(Duration.ofSeconds(-30));
    }

    @Test
    void deviceFlowWhenBrowserSignsInThroughOidcUpstreamThenConfidentialCliGetsTokens() throws Exception {
        Cli cli = Cli.ask(issuer, "cli", Optional.of("cli-secret-0123456789"), "openid profile");
        Browser b = new Browser();
        typeCode(b, issuer, cli.userCode());
        HttpResponse<String> chooser = decide(b, cli.userCode(), "approve");
        assertOAuthError(cli.poll(5), 400, "authorization_pending");

        URI upstreamAuthorize = Browser.location(b.get(Browser.link(chooser.body(), "/signin/corp")));
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "grace", "JWT", List.of("signet"),
                Map.of("email", "grace@example.com", "email_verified", true, "name", "Grace"), 3600));
        URI callback = Browser.location(b.get(upstreamAuthorize));
        assertOAuthError(cli.poll(5), 400, "authorization_pending");
        HttpResponse<String> done = b.get(Browser.location(b.get(callback)));
        assertThat(done.body()).contains("Device connected");

        HttpResponse<String> tokens = cli.poll(5);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JWTClaimsSet id = JWTParser.parse(RelyingParty.json(tokens).path("id_token").asString()).getJWTClaimsSet();
        assertThat(id.getStringClaim("name")).isEqualTo("Grace");
        assertThat(RelyingParty.json(tokens).has("refresh_token")).isFalse();
        signet.clock.advance(Duration.ofSeconds(-15));
    }

    @Test
    void deviceFlowWhenBrowserAlreadySignedInThenApprovedWithoutSigningInAgain() {
        Cli first = tv("openid");
        Browser b = new Browser();
        typeCode(b, issuer, first.userCode());
        HttpResponse<String> chooser = decide(b, first.userCode(), "approve");
        URI upstream = Browser.location(b.get(Browser.link(chooser.body(), "/signin/dev")));
        Map<String, String> q = Browser.query(upstream);
        URI callback = Browser.location(b.postForm(URI.create(issuer + "/dev-upstream/dev"), Map.of("state", q.get("state"),
                "nonce", q.get("nonce"), "redirect_uri", q.get("redirect_uri"), "name", "Sso", "email", "sso@example.com")));
        b.get(Browser.location(b.get(callback)));

        Cli second = tv("openid");
        typeCode(b, issuer, second.userCode());
        HttpResponse<String> done = decide(b, second.userCode(), "approve");
        assertThat(done.body()).contains("Device connected");
        assertThat(second.poll(5).statusCode()).isEqualTo(200);
        signet.clock.advance(Duration.ofSeconds(-5));
    }

    // ---- walls and guessing

    @Test
    void deviceCodesWhenUsedAtAnotherTenantThenUnknownThere() {
        Cli cli = tv("openid");
        URI acme = URI.create("http://acme.test:" + issuer.getPort());
        HttpResponse<String> page = new Browser().postForm(URI.create(acme + "/device"), Map.of("user_code", cli.userCode()));
        assertThat(page.statusCode()).isEqualTo(400);
        assertOAuthError(ClientCalls.form(acme, "/token", Map.of("grant_type", DEVICE_GRANT, "client_id", "tv",
                "device_code", cli.authorization().path("device_code").asString())), 400, "invalid_grant");
        assertOAuthError(cli.pollNow(), 400, "authorization_pending");
    }

    @Test
    void deviceWhenCodesGuessedFromOneAddressThenTooManyAttemptsPageAndOtherAddressesServed() {
        Browser b = new Browser();
        HttpResponse<String> last = null;
        for (int i = 0; i < 31; i++) {
            last = b.send(HttpRequest.newBuilder(URI.create(issuer + "/device")).header("X-Forwarded-For", "203.0.113.77")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("user_code=BCDF-GHJ" + "KLMNPQRSTVWXZ".charAt(i % 13))));
            if (i < 30) {
                assertThat(last.statusCode()).as("attempt " + (i + 1)).isEqualTo(400);
            }
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(last.headers().firstValue("Retry-After")).isPresent();
        assertThat(last.body()).contains("Too many attempts");
        Cli cli = tv("openid");
        HttpResponse<String> elsewhere = b.send(HttpRequest.newBuilder(URI.create(issuer + "/device"))
                .header("X-Forwarded-For", "203.0.113.78").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user_code=" + cli.userCode())));
        assertThat(elsewhere.statusCode()).isEqualTo(200);
    }
}
