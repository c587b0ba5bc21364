package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The authorization code at the token endpoint (RFC 6749 §4.1.2, §4.1.3, §10.5): single use (reuse
 * revokes what was issued from it), short-lived, bound to its client and its redirect URI.
 */
class AuthorizationCodeRfc6749Test {

    static SignetHarness signet;
    static RelyingParty app;
    static RelyingParty other;

    static final URI APP_CB = URI.create("http://localhost:9/cb");

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb, http://localhost:9/cb2]
                  - id: other
                    secret: other-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), APP_CB);
        other = new RelyingParty(signet, "other", Optional.of("other-secret-0123456789"), APP_CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    record Issued(RelyingParty.Authorization auth, String code) {}

    static Issued code(String scope, String email) {
        RelyingParty.Authorization a = app.authorize(scope, Map.of());
        return new Issued(a, DevSignIn.code(a.url(), email).get("code"));
    }

    @Test
    void exchangeWhenCodeReusedThenInvalidGrantAndTokensFromFirstExchangeRevoked() {
        Issued c = code("openid email offline_access", "reuse@example.com");
        HttpResponse<String> first = app.exchange(c.code(), c.auth().verifier());
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        JsonNode tokens = RelyingParty.json(first);
        String access = tokens.path("access_token").asString();
        String refresh = tokens.path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();
        assertThat(app.userinfo(access).statusCode()).isEqualTo(200);

        assertOAuthError(app.exchange(c.code(), c.auth().verifier()), 400, "invalid_grant");

        assertOAuthError(app.refresh(refresh), 400, "invalid_grant");
        HttpResponse<String> info = app.userinfo(access);
        assertThat(info.statusCode()).isEqualTo(401);
        assertThat(info.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h ->
                assertThat(h).startsWith("Bearer ").contains("error=\"invalid_token\""));
    }

    @Test
    void exchangeWhenCodeReusedThenRefreshTokenRotatedBeforeReuseAlsoRevoked() {
        Issued c = code("openid offline_access", "reuse-rotated@example.com");
        JsonNode tokens = RelyingParty.json(app.exchange(c.code(), c.auth().verifier()));
        HttpResponse<String> rotated = app.refresh(tokens.path("refresh_token").asString());
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        String refresh2 = RelyingParty.json(rotated).path("refresh_token").asString();
        String access2 = RelyingParty.json(rotated).path("access_token").asString();

        assertOAuthError(app.exchange(c.code(), c.auth().verifier()), 400, "invalid_grant");

        assertOAuthError(app.refresh(refresh2), 400, "invalid_grant");
        assertThat(app.userinfo(access2).statusCode()).isEqualTo(401);
    }

    @Test
    void exchangeWhenCodeExpiredThenInvalidGrant() {
        Issued c = code("openid", "expired@example.com");
        signet.clock.advance(Duration.ofSeconds(61));
        assertOAuthError(app.exchange(c.code(), c.auth().verifier()), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenCodeJustBeforeExpiryThenTokens() {
        Issued c = code("openid", "not-yet-expired@example.com");
        signet.clock.advance(Duration.ofSeconds(59));
        HttpResponse<String> r = app.exchange(c.code(), c.auth().verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void exchangeWhenCodeUsedByAnotherClientThenInvalidGrant() {
        Issued c = code("openid", "stolen@example.com");
        assertOAuthError(other.exchange(c.code(), c.auth().verifier()), 400, "invalid_grant");
        // The attempt consumed the code: the rightful client cannot use it afterwards either.
        assertOAuthError(app.exchange(c.code(), c.auth().verifier()), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenRedirectUriDiffersFromAuthorizationRequestThenInvalidGrant() {
        Issued c = code("openid", "redirect-mismatch@example.com");
        HttpResponse<String> r = app.token(Map.of("grant_type", "authorization_code", "code", c.code(),
                "redirect_uri", "http://localhost:9/cb2", "code_verifier", c.auth().verifier()));
        assertOAuthError(r, 400, "invalid_grant");
    }

    @Test
    void exchangeWhenRedirectUriMissingThenInvalidGrant() {
        Issued c = code("openid", "redirect-missing@example.com");
        HttpResponse<String> r = app.token(Map.of("grant_type", "authorization_code", "code", c.code(),
                "code_verifier", c.auth().verifier()));
        assertOAuthError(r, 400, "invalid_grant");
    }

    @Test
    void exchangeWhenCodeUnknownThenInvalidGrant() {
        assertOAuthError(app.exchange(RelyingParty.random(), RelyingParty.random() + RelyingParty.random()), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenCodeMissingThenInvalidRequest() {
        HttpResponse<String> r = app.token(Map.of("grant_type", "authorization_code", "redirect_uri", APP_CB.toString()));
        assertOAuthError(r, 400, "invalid_request");
    }
}
