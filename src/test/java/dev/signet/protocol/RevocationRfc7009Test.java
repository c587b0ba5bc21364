package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * RFC 7009 on the running server: a refresh token revokes its whole family (and the access tokens of
 * its grant stop at /userinfo); an access token is revoked by {@code jti} and refused at /userinfo at
 * once while its family lives on; {@code token_type_hint} is honoured but not trusted; unknown tokens
 * are 200 (§2.2); another client's or another tenant's token is 200 and nothing is revoked (§2.1).
 */
class RevocationRfc7009Test {

    static final URI CB = URI.create("http://localhost:9/cb");
    static final String APP_SECRET = "app-secret-0123456789";
    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                  - id: other
                    secret: other-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                  - id: spa
                    public: true
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
              - name: acme
                issuer: "http://acme.test:${PORT}"
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    static SignetHarness signet;
    static URI issuer;
    static RelyingParty app;
    static RelyingParty spa;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        issuer = signet.issuer();
        app = new RelyingParty(signet, "app", Optional.of(APP_SECRET), CB);
        spa = new RelyingParty(signet, "spa", Optional.empty(), CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static JsonNode signIn(RelyingParty rp, String email) {
        RelyingParty.Authorization a = rp.authorize("openid email offline_access", Map.of());
        HttpResponse<String> r = rp.exchange(DevSignIn.code(a.url(), email).get("code"), a.verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    static HttpResponse<String> revoke(URI at, String client, String secret, Map<String, String> form) {
        return ClientCalls.basic(at, "/revoke", client, secret, form);
    }

    static void assertRevoked200(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    }

    // ---- errors are only about the request and the client (§2.2.1)

    @Test
    void revokeWhenNoClientAuthenticationThenInvalidClient401() {
        assertOAuthError(ClientCalls.form(issuer, "/revoke", Map.of("token", "x")), 401, "invalid_client");
    }

    @Test
    void revokeWhenWrongSecretThenInvalidClient401AndNothingRevoked() {
        JsonNode t = signIn(app, "wrong-secret@example.com");
        assertOAuthError(revoke(issuer, "app", "wrong-secret-0123456789", Map.of("token", t.path("access_token").asString())), 401,
                "invalid_client");
        assertThat(app.userinfo(t.path("access_token").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void revokeWhenTokenMissingThenInvalidRequest() {
        assertOAuthError(revoke(issuer, "app", APP_SECRET, Map.of()), 400, "invalid_request");
    }

    @Test
    void revokeWhenUnknownTokenThen200() {
        assertRevoked200(revoke(issuer, "app", APP_SECRET, Map.of("token", "never-issued")));
        assertRevoked200(revoke(issuer, "app", APP_SECRET, Map.of("token", "never-issued", "token_type_hint", "refresh_token")));
        assertRevoked200(revoke(issuer, "app", APP_SECRET, Map.of("token", "never-issued", "token_type_hint", "something_else")));
    }

    // ---- refresh tokens: the whole family

    @Test
    void revokeWhenRefreshTokenThenFamilyAndItsAccessTokensDie() {
        JsonNode t = signIn(app, "family@example.com");
        HttpResponse<String> rotated = app.refresh(t.path("refresh_token").asString());
        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode next = RelyingParty.json(rotated);

        assertRevoked200(revoke(issuer, "app", APP_SECRET, Map.of("token", next.path("refresh_token").asString(),
                "token_type_hint", "refresh_token")));

        assertOAuthError(app.refresh(next.path("refresh_token").asString()), 400, "invalid_grant");
        assertOAuthError(app.userinfo(t.path("access_token").asString()), 401, "invalid_token");
        assertOAuthError(app.userinfo(next.path("access_token").asString()), 401, "invalid_token");
    }

    @Test
    void revokeWhenPublicClientRevokesItsOwnRefreshTokenByClientIdThenRevoked() {
        JsonNode t = signIn(spa, "public@example.com");
        assertRevoked200(ClientCalls.form(issuer, "/revoke", Map.of("token", t.path("refresh_token").asString(), "client_id", "spa")));
        assertOAuthError(spa.refresh(t.path("refresh_token").asString()), 400, "invalid_grant");
    }

    // ---- access tokens: by jti, at once

    @Test
    void revokeWhenAccessTokenThenUserinfoRefusesAtOnceAndFamilyLivesOn() {
        JsonNode t = signIn(app, "by-jti@example.com");
        String at = t.path("access_token").asString();
        assertThat(app.userinfo(at).statusCode()).isEqualTo(200);

        assertRevoked200(revoke(issuer, "app", APP_SECRET, Map.of("token", at, "token_type_hint", "access_token")));

        assertOAuthError(app.userinfo(at), 401, "invalid_token");
        HttpResponse<String> refreshed = app.refresh(t.path("refresh_token").asString());
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(app.userinfo(RelyingParty.json(refreshed).path("access_token").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void revokeWhenHintIsWrongThenTokenStillFoundAndRevoked() {
        JsonNode t = signIn(app, "wrong-hint@example.com");
        assertRevoked200(revoke(issuer, "app", APP_SECRET, Map.of("token", t.path("access_token").asString(),
                "token_type_hint", "refresh_token")));
        assertOAuthError(app.userinfo(t.path("access_token").asString()), 401, "invalid_token");
        assertRevoked200(revoke(issuer, "app", APP_SECRET, Map.of("token", t.path("refresh_token").asString(),
                "token_type_hint", "access_token")));
        assertOAuthError(app.refresh(t.path("refresh_token").asString()), 400, "invalid_grant");
    }

    // ---- §2.1: only the client the token was issued to

    @Test
    void revokeWhenAnotherClientsTokensThen200AndNothingRevoked() {
        JsonNode t = signIn(app, "not-yours@example.com");
        assertRevoked200(revoke(issuer, "other", "other-secret-0123456789", Map.of("token", t.path("access_token").asString())));
        assertRevoked200(revoke(issuer, "other", "other-secret-0123456789", Map.of("token", t.path("refresh_token").asString())));
        assertThat(app.userinfo(t.path("access_token").asString()).statusCode()).isEqualTo(200);
        assertThat(app.refresh(t.path("refresh_token").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void revokeWhenTokensOfAnotherTenantThen200ThereAndNothingRevoked() {
        JsonNode t = signIn(app, "other-tenant@example.com");
        URI acme = URI.create("http://acme.test:" + issuer.getPort());
        assertRevoked200(revoke(acme, "app", APP_SECRET, Map.of("token", t.path("access_token").asString())));
        assertRevoked200(revoke(acme, "app", APP_SECRET, Map.of("token", t.path("refresh_token").asString())));
        assertThat(app.userinfo(t.path("access_token").asString()).statusCode()).isEqualTo(200);
        assertThat(app.refresh(t.path("refresh_token").asString()).statusCode()).isEqualTo(200);
    }
}
