package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertErrorPage;
import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.StoreFaults;
import dev.signet.store.AuditStore;
import dev.signet.store.StoredEvent;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OpenID Connect RP-Initiated Logout 1.0 at {@code /logout} on the running server, asserting the
 * exact outcome of each rule: §2 (parameters, expired {@code id_token_hint} accepted, {@code aud}
 * must match {@code client_id}), §3 ({@code post_logout_redirect_uri} exact match, else an error page
 * and never a redirect; {@code state} echoed), and the confirmation page without a valid hint
 * (CSRF-protected, same-origin POST). A Nimbus relying party finds the endpoint in discovery and
 * builds its request with {@link LogoutRequest}.
 */
class RpInitiatedLogoutTest {

    static final String SECRET = "app-secret-0123456789";
    static final URI CB = URI.create("http://localhost:9/cb");
    static final URI BYE = URI.create("http://localhost:9/bye");

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    post_logout_redirect_uris: [http://localhost:9/bye]
                  - id: other
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    post_logout_redirect_uris: [http://localhost:9/other-bye]
                connections:
                  - id: dev
                    kind: dev-unsafe
              - name: acme
                issuer: "http://acme.test:${PORT}"
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    post_logout_redirect_uris: [http://localhost:9/bye]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    static SignetHarness signet;
    static RelyingParty app;
    static RelyingParty other;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        app = new RelyingParty(signet, "app", Optional.of(SECRET), CB);
        other = new RelyingParty(signet, "other", Optional.of(SECRET), CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    /** A browser signed in through {@code rp}, with the tokens the app got. */
    record SignedIn(Browser browser, String idToken, String accessToken, Optional<String> refreshToken, JWTClaimsSet claims) {}

    static SignedIn signIn(RelyingParty rp, String scope, String email) {
        return signIn(new Browser(), rp, scope, email);
    }

    static SignedIn signIn(Browser b, RelyingParty rp, String scope, String email) {
        try {
            RelyingParty.Authorization a = rp.authorize(scope, Map.of());
            HttpResponse<String> first = b.get(a.url());
            URI back = first.statusCode() == 302 ? Browser.location(first) : DevSignIn.signIn(b, a.url(), email);
            String code = Browser.query(back).get("code");
            HttpResponse<String> t = rp.exchange(code, a.verifier());
            assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
            var json = RelyingParty.json(t);
            String idToken = json.path("id_token").asString();
            Optional<String> refresh = json.has("refresh_token") ? Optional.of(json.path("refresh_token").asString()) : Optional.empty();
            return new SignedIn(b, idToken, json.path("access_token").asString(), refresh, JWTParser.parse(idToken).getJWTClaimsSet());
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    static URI logout(Map<String, String> q) {
        return URI.create(signet.url("/logout") + (q.isEmpty() ? "" : "?" + Browser.form(q)));
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Whether the browser's Signet session still signs it in without a page (prompt=none gives a code). */
    static boolean stillSignedIn(Browser b) {
        HttpResponse<String> r = b.get(app.authorize("openid", Map.of("prompt", "none")).url());
        assertThat(r.statusCode()).isEqualTo(302);
        Map<String, String> q = Browser.query(Browser.location(r));
        if (q.containsKey("code")) {
            return true;
        }
        assertThat(q).containsEntry("error", "login_required");
        return false;
    }

    static List<StoredEvent> events(String user) {
        return signet.events().audit(new AuditStore.Query(Optional.of("default"), Optional.of(user), Optional.empty(), Optional.empty(),
                Optional.empty(), 100));
    }

    // ---- discovery, and a Nimbus relying party

    @Test
    void discoveryWhenReadByNimbusThenEndSessionAndBackchannelLogoutAdvertised() throws Exception {
        OIDCProviderMetadata m = OIDCProviderMetadata.parse(new Browser().get(signet.url("/.well-known/openid-configuration")).body());
        assertThat(m.getEndSessionEndpointURI()).isEqualTo(signet.url("/logout"));
        var json = RelyingParty.json(new Browser().get(signet.url("/.well-known/openid-configuration")));
        assertThat(json.path("backchannel_logout_supported").asBoolean()).isTrue();
        assertThat(json.path("backchannel_logout_session_supported").asBoolean()).isTrue();
        assertThat(json.path("frontchannel_logout_supported").isBoolean()).isTrue();
        assertThat(json.path("frontchannel_logout_supported").asBoolean()).isFalse();
        assertThat(json.path("claims_supported").toString()).contains("\"sid\"");
        assertThat(json.path("prompt_values_supported").toString()).contains("\"consent\"");
    }

    @Test
    void logoutWhenNimbusRequestWithHintForCurrentSessionThenSessionEndsAndRedirectWithState() throws Exception {
        SignedIn s = signIn(app, "openid email", "nimbus-rp@example.com");
        OIDCProviderMetadata m = OIDCProviderMetadata.parse(new Browser().get(signet.url("/.well-known/openid-configuration")).body());
        State state = new State();
        URI request = new LogoutRequest(m.getEndSessionEndpointURI(), JWTParser.parse(s.idToken()), BYE, state).toURI();

        HttpResponse<String> r = s.browser().get(request);

        assertThat(Browser.location(r)).isEqualTo(URI.create(BYE + "?state=" + state.getValue()));
        assertThat(r.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("signet_session=").contains("Max-Age=0"));
        assertThat(stillSignedIn(s.browser())).isFalse();
        // the grant had no offline_access: its access token is revoked with the session (Back-Channel Logout §2.7)
        assertOAuthError(app.userinfo(s.accessToken()), 401, "invalid_token");
        signet.wakeRelay();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(events(s.claims().getSubject())).extracting(StoredEvent::type).contains("session.revoked", "tokens.revoked"));
    }

    @Test
    void idTokenWhenIssuedThenSidIsTheSessionAndStableAcrossTokensOfTheSession() {
        SignedIn s = signIn(app, "openid", "sid@example.com");
        SignedIn again = signIn(s.browser(), other, "openid", "sid@example.com");
        assertThat(s.claims().getClaim("sid")).isInstanceOf(String.class);
        assertThat(again.claims().getClaim("sid")).isEqualTo(s.claims().getClaim("sid"));
        SignedIn elsewhere = signIn(app, "openid", "sid@example.com");
        assertThat(elsewhere.claims().getClaim("sid")).isNotEqualTo(s.claims().getClaim("sid"));
    }

    @Test
    void logoutWhenPostedByRelyingPartyThenSameAsGet() {
        SignedIn s = signIn(app, "openid", "posted@example.com");
        HttpResponse<String> r = s.browser().postForm(signet.url("/logout"),
                params("id_token_hint", s.idToken(), "post_logout_redirect_uri", BYE.toString(), "state", "xyz", "ui_locales", "de"));
        assertThat(Browser.location(r)).isEqualTo(URI.create(BYE + "?state=xyz"));
        assertThat(stillSignedIn(s.browser())).isFalse();
    }

    @Test
    void logoutWhenHintExpiredThenStillAcceptedPerSection2() {
        SignedIn s = signIn(app, "openid", "expired-hint@example.com");
        signet.clock.advance(Duration.ofHours(1)); // the ID token lived 10 minutes; the session 24 hours
        try {
            HttpResponse<String> r = s.browser().get(logout(params("id_token_hint", s.idToken(), "post_logout_redirect_uri", BYE.toString())));
            assertThat(Browser.location(r)).isEqualTo(BYE);
            assertThat(stillSignedIn(s.browser())).isFalse();
        } finally {
            signet.clock.advance(Duration.ofHours(-1));
        }
    }

    @Test
    void logoutWhenOfflineAccessGrantThenItsRefreshTokenSurvivesButOnlineGrantRevoked() {
        Browser b = new Browser();
        SignedIn offline = signIn(b, app, "openid offline_access", "offline@example.com");
        assertThat(offline.refreshToken()).isPresent();
        SignedIn online = signIn(b, other, "openid", "offline@example.com");

        HttpResponse<String> page = b.get(logout(params("id_token_hint", offline.idToken())));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("You are signed out");
        assertThat(stillSignedIn(b)).isFalse();

        HttpResponse<String> refreshed = app.refresh(offline.refreshToken().get());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(app.userinfo(offline.accessToken()).statusCode()).isEqualTo(200);
        assertOAuthError(other.userinfo(online.accessToken()), 401, "invalid_token");
    }

    @Test
    void logoutWhenHintButNoCookieThenTheHintsSessionEnds() {
        SignedIn s = signIn(app, "openid", "no-cookie@example.com");
        HttpResponse<String> r = new Browser().get(logout(params("id_token_hint", s.idToken(), "post_logout_redirect_uri", BYE.toString())));
        assertThat(Browser.location(r)).isEqualTo(BYE);
        assertThat(stillSignedIn(s.browser())).isFalse();
    }

    @Test
    void logoutWhenStoreFailsRightAfterThenThisNodeDoesNotServeTheEndedSessionFromItsOutageCache() {
        SignedIn s = signIn(app, "openid", "outage@example.com");
        String cookie = s.browser().cookie("signet_session").orElseThrow();
        assertThat(Browser.location(s.browser().get(logout(params("id_token_hint", s.idToken(), "post_logout_redirect_uri",
                BYE.toString()))))).isEqualTo(BYE);
        signet.storeFaults.fail(StoreFaults.Scope.ALL);
        try {
            HttpResponse<String> r = new Browser().send(HttpRequest.newBuilder(logout(Map.of())).header("Cookie", "signet_session=" + cookie));
            // not the confirmation page of a session the outage cache still remembers: the store is asked, and is down
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        } finally {
            signet.storeFaults.heal();
        }
    }

    // ---- errors: a page, never a redirect; the session is left alone

    @Test
    void logoutWhenPostLogoutRedirectUriNotRegisteredThenErrorPageAndSessionKept() {
        SignedIn s = signIn(app, "openid", "unregistered@example.com");
        for (String uri : List.of("http://localhost:9/bye/", "http://localhost:9/BYE", "https://evil.example/bye", "http://localhost:9/other-bye")) {
            HttpResponse<String> r = s.browser().get(logout(params("id_token_hint", s.idToken(), "post_logout_redirect_uri", uri)));
            assertErrorPage(r, 400, "logout.post_logout_redirect_uri_mismatch");
            assertThat(r.body()).doesNotContain("evil.example").contains("This sign-out request cannot be completed");
        }
        assertThat(stillSignedIn(s.browser())).isTrue();
    }

    @Test
    void logoutWhenRedirectUriButNoClientNamedThenErrorPage() {
        SignedIn s = signIn(app, "openid", "no-client@example.com");
        assertErrorPage(s.browser().get(logout(params("post_logout_redirect_uri", BYE.toString()))), 400,
                "logout.post_logout_redirect_uri_mismatch");
        assertThat(stillSignedIn(s.browser())).isTrue();
    }

    @Test
    void logoutWhenClientIdIsNotTheHintsAudienceThenErrorPage() {
        SignedIn s = signIn(app, "openid", "mismatch@example.com");
        assertErrorPage(s.browser().get(logout(params("id_token_hint", s.idToken(), "client_id", "other"))), 400, "logout.client_mismatch");
        assertErrorPage(s.browser().get(logout(params("client_id", "nobody"))), 400, "logout.client_mismatch");
        assertThat(stillSignedIn(s.browser())).isTrue();
    }

    @Test
    void logoutWhenHintSignedByAnotherKeyThenInvalidHint() throws Exception {
        SignedIn s = signIn(app, "openid", "forged@example.com");
        RSAKey attacker = new RSAKeyGenerator(2048).keyID(SignedJWT.parse(s.idToken()).getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).keyID(attacker.getKeyID()).build(),
                s.claims());
        forged.sign(new RSASSASigner(attacker));
        assertErrorPage(s.browser().get(logout(params("id_token_hint", forged.serialize()))), 400, "logout.invalid_id_token_hint");
        assertErrorPage(s.browser().get(logout(params("id_token_hint", "not-a-jwt"))), 400, "logout.invalid_id_token_hint");
        assertThat(stillSignedIn(s.browser())).isTrue();
    }

    @Test
    void logoutWhenHintFromAnotherTenantThenInvalidHint() {
        RelyingParty acme = new RelyingParty(URI.create("http://acme.test:" + signet.issuer().getPort()), "app", Optional.of(SECRET), CB);
        SignedIn atAcme = signIn(acme, "openid", "walls@example.com");
        SignedIn here = signIn(app, "openid", "walls@example.com");
        assertErrorPage(here.browser().get(logout(params("id_token_hint", atAcme.idToken()))), 400, "logout.invalid_id_token_hint");
        assertThat(stillSignedIn(here.browser())).isTrue();
    }

    @Test
    void logoutWhenParameterRepeatedThenInvalidRequestPage() {
        SignedIn s = signIn(app, "openid", "repeated@example.com");
        HttpResponse<String> r = s.browser().get(URI.create(signet.url("/logout") + "?state=a&state=b"));
        assertErrorPage(r, 400, "invalid_request");
        assertThat(stillSignedIn(s.browser())).isTrue();
    }

    // ---- the confirmation page (no valid hint)

    @Test
    void logoutWhenNoHintThenConfirmationPageAndNothingEndsUntilConfirmed() {
        SignedIn s = signIn(app, "openid", "confirm@example.com");
        HttpResponse<String> page = s.browser().get(logout(params("client_id", "app", "post_logout_redirect_uri", BYE.toString(), "state", "s1")));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Sign out of default?").contains("app asks to sign you out");
        // CSP form-action allows the registered redirect the confirmation answers with
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(c -> assertThat(c).contains("http://localhost:9"));
        assertThat(stillSignedIn(s.browser())).isTrue();

        URI form = Browser.postedForm(page);
        Map<String, String> fields = new LinkedHashMap<>(Browser.query(form));
        fields.put("confirm", "yes");
        HttpResponse<String> done = s.browser().send(HttpRequest.newBuilder(signet.url("/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(fields))));
        assertThat(Browser.location(done)).isEqualTo(URI.create(BYE + "?state=s1"));
        assertThat(stillSignedIn(s.browser())).isFalse();
    }

    @Test
    void logoutWhenHintForAnotherSessionThenConfirmationPage() {
        SignedIn old = signIn(app, "openid", "two-sessions@example.com");
        SignedIn current = signIn(app, "openid", "two-sessions@example.com");
        HttpResponse<String> page = current.browser().get(logout(params("id_token_hint", old.idToken())));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"logout-form\"");
        assertThat(stillSignedIn(current.browser())).isTrue();
        assertThat(stillSignedIn(old.browser())).isTrue();
    }

    @Test
    void confirmWhenCsrfTokenWrongOrMissingThenFormInvalidAndSessionKept() {
        SignedIn s = signIn(app, "openid", "csrf@example.com");
        assertErrorPage(s.browser().postForm(signet.url("/logout"), params("confirm", "yes", "csrf", "guessed")), 403, "request.form_invalid");
        assertErrorPage(s.browser().postForm(signet.url("/logout"), params("confirm", "yes")), 403, "request.form_invalid");
        // a token rendered for another browser's session is worth nothing here
        SignedIn victimless = signIn(app, "openid", "csrf-other@example.com");
        String theirs = Browser.query(Browser.postedForm(victimless.browser().get(logout(Map.of())))).get("csrf");
        assertErrorPage(s.browser().postForm(signet.url("/logout"), params("confirm", "yes", "csrf", theirs)), 403, "request.form_invalid");
        assertThat(stillSignedIn(s.browser())).isTrue();
    }

    @Test
    void confirmWhenSentByGetOrFromAnotherSiteThenRefused() {
        SignedIn s = signIn(app, "openid", "cross-site@example.com");
        String csrf = Browser.query(Browser.postedForm(s.browser().get(logout(Map.of())))).get("csrf");
        assertErrorPage(s.browser().get(logout(params("confirm", "yes", "csrf", csrf))), 403, "request.form_invalid");
        HttpResponse<String> cross = s.browser().send(HttpRequest.newBuilder(signet.url("/logout"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Sec-Fetch-Site", "cross-site")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(params("confirm", "yes", "csrf", csrf)))));
        assertErrorPage(cross, 403, "request.cross_site");
        assertThat(stillSignedIn(s.browser())).isTrue();
    }

    @Test
    void logoutWhenNotSignedInThenSignedOutPageOrRegisteredRedirect() {
        HttpResponse<String> page = new Browser().get(logout(Map.of()));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("You are signed out");
        HttpResponse<String> r = new Browser().get(logout(params("client_id", "app", "post_logout_redirect_uri", BYE.toString(), "state", "z")));
        assertThat(Browser.location(r)).isEqualTo(URI.create(BYE + "?state=z"));
    }
}
