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
 * RFC 7662 on the running server: only authenticated clients (§2.1, 401 {@code invalid_client}
 * otherwise); {@code {"active": false}} and nothing more (§2.2) for unknown, expired, revoked,
 * other-tenant tokens and for tokens the caller may not see; the §2.2 members of an active access or
 * refresh token. A resource server sees the access tokens of the audiences it lists.
 */
class IntrospectionRfc7662Test {

    static final URI CB = URI.create("http://localhost:9/cb");
    static final String APP_SECRET = "app-secret-0123456789";
    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    grant_types: [authorization_code, refresh_token, client_credentials]
                  - id: other
                    secret: other-secret-0123456789
                    grant_types: [client_credentials]
                  - id: api
                    secret: api-secret-0123456789
                    grant_types: [client_credentials]
                    introspection: {audiences: [app]}
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
                    grant_types: [authorization_code, refresh_token, client_credentials]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    static SignetHarness signet;
    static URI issuer;
    static URI acme;
    static RelyingParty app;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        issuer = signet.issuer();
        acme = URI.create("http://acme.test:" + issuer.getPort());
        app = new RelyingParty(signet, "app", Optional.of(APP_SECRET), CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static JsonNode signIn(String email) {
        RelyingParty.Authorization a = app.authorize("openid email offline_access", Map.of());
        HttpResponse<String> r = app.exchange(DevSignIn.code(a.url(), email).get("code"), a.verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    static JsonNode introspect(URI at, String client, String secret, String token) {
        HttpResponse<String> r = ClientCalls.basic(at, "/introspect", client, secret, Map.of("token", token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        return RelyingParty.json(r);
    }

    static void assertInactive(JsonNode answer) {
        assertThat(answer.path("active").isBoolean()).as(answer.toString()).isTrue();
        assertThat(answer.path("active").asBoolean()).as(answer.toString()).isFalse();
        assertThat(answer.size()).as("§2.2: nothing but active for an inactive token: " + answer).isEqualTo(1);
    }

    // ---- §2.1: the caller must authenticate

    @Test
    void introspectWhenNoClientAuthenticationThenInvalidClient401() {
        HttpResponse<String> r = ClientCalls.form(issuer, "/introspect", Map.of("token", "whatever"));
        assertOAuthError(r, 401, "invalid_client");
        assertThat(r.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void introspectWhenWrongSecretThenInvalidClient401() {
        assertOAuthError(ClientCalls.basic(issuer, "/introspect", "app", "wrong-secret-0123456789", Map.of("token", "x")), 401,
                "invalid_client");
    }

    @Test
    void introspectWhenPublicClientThenInvalidClient401() {
        String at = signIn("public-caller@example.com").path("access_token").asString();
        assertOAuthError(ClientCalls.form(issuer, "/introspect", Map.of("token", at, "client_id", "spa")), 401, "invalid_client");
    }

    @Test
    void introspectWhenTokenParameterMissingThenInvalidRequest() {
        assertOAuthError(ClientCalls.basic(issuer, "/introspect", "app", APP_SECRET, Map.of()), 400, "invalid_request");
    }

    // ---- §2.2: active tokens

    @Test
    void introspectWhenOwnAccessTokenThenActiveWithClaims() {
        String at = signIn("active-at@example.com").path("access_token").asString();
        JsonNode a = introspect(issuer, "app", APP_SECRET, at);
        assertThat(a.path("active").asBoolean()).as(a.toString()).isTrue();
        assertThat(a.path("client_id").asString()).isEqualTo("app");
        assertThat(a.path("token_type").asString()).isEqualTo("Bearer");
        assertThat(a.path("scope").asString()).isEqualTo("openid email offline_access");
        assertThat(a.path("iss").asString()).isEqualTo(issuer.toString());
        assertThat(a.path("aud").asString()).isEqualTo("app");
        assertThat(a.path("sub").asString()).isNotEmpty();
        assertThat(a.path("exp").asLong()).isGreaterThan(a.path("iat").asLong());
        assertThat(a.path("jti").asString()).isNotEmpty();
    }

    @Test
    void introspectWhenOwnRefreshTokenThenActiveWithoutTokenTypeAndHintIgnoredIfWrong() {
        JsonNode t = signIn("active-rt@example.com");
        String rt = t.path("refresh_token").asString();
        // the hint says access_token; it is honoured as a first guess, never trusted (§2.1)
        HttpResponse<String> r = ClientCalls.basic(issuer, "/introspect", "app", APP_SECRET,
                Map.of("token", rt, "token_type_hint", "access_token"));
        JsonNode a = RelyingParty.json(r);
        assertThat(a.path("active").asBoolean()).as(a.toString()).isTrue();
        assertThat(a.path("client_id").asString()).isEqualTo("app");
        assertThat(a.path("scope").asString()).isEqualTo("openid email offline_access");
        assertThat(a.path("sub").asString()).isEqualTo(introspect(issuer, "app", APP_SECRET, t.path("access_token").asString())
                .path("sub").asString());
        assertThat(a.has("token_type")).isFalse();
    }

    @Test
    void introspectWhenResourceServerListsTheAudienceThenActive() {
        String at = signIn("rs@example.com").path("access_token").asString();
        assertThat(introspect(issuer, "api", "api-secret-0123456789", at).path("active").asBoolean()).isTrue();
    }

    // ---- §2.2: inactive

    @Test
    void introspectWhenCallerIsNeitherOwnerNorListedResourceServerThenInactive() {
        JsonNode t = signIn("not-yours@example.com");
        assertInactive(introspect(issuer, "other", "other-secret-0123456789", t.path("access_token").asString()));
        assertInactive(introspect(issuer, "other", "other-secret-0123456789", t.path("refresh_token").asString()));
        // a resource server sees access tokens of its audiences, never their refresh tokens
        assertInactive(introspect(issuer, "api", "api-secret-0123456789", t.path("refresh_token").asString()));
    }

    @Test
    void introspectWhenUnknownOrGarbageTokenThenInactive() {
        assertInactive(introspect(issuer, "app", APP_SECRET, "no-such-token"));
        assertInactive(introspect(issuer, "app", APP_SECRET, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."));
    }

    @Test
    void introspectWhenAccessTokenExpiredThenInactive() {
        String at = signIn("expired-at@example.com").path("access_token").asString();
        Duration past = Duration.ofMinutes(11); // access_token_ttl 10m + the 5 s skew
        signet.clock.advance(past);
        try {
            assertInactive(introspect(issuer, "app", APP_SECRET, at));
        } finally {
            signet.clock.advance(past.negated());
        }
        assertThat(introspect(issuer, "app", APP_SECRET, at).path("active").asBoolean()).isTrue();
    }

    @Test
    void introspectWhenRefreshTokenRotatedThenOldInactiveNewActive() {
        String rt = signIn("rotated@example.com").path("refresh_token").asString();
        HttpResponse<String> r = app.refresh(rt);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertInactive(introspect(issuer, "app", APP_SECRET, rt));
        assertThat(introspect(issuer, "app", APP_SECRET, RelyingParty.json(r).path("refresh_token").asString())
                .path("active").asBoolean()).isTrue();
    }

    @Test
    void introspectWhenRevokedThenInactiveForBothKinds() {
        JsonNode t = signIn("revoked@example.com");
        String at = t.path("access_token").asString();
        String rt = t.path("refresh_token").asString();
        assertThat(ClientCalls.basic(issuer, "/revoke", "app", APP_SECRET, Map.of("token", at)).statusCode()).isEqualTo(200);
        assertInactive(introspect(issuer, "app", APP_SECRET, at));
        assertThat(introspect(issuer, "app", APP_SECRET, rt).path("active").asBoolean()).as("revoking an access token leaves the family").isTrue();
        assertThat(ClientCalls.basic(issuer, "/revoke", "app", APP_SECRET, Map.of("token", rt)).statusCode()).isEqualTo(200);
        assertInactive(introspect(issuer, "app", APP_SECRET, rt));
    }

    @Test
    void introspectWhenTokenOfAnotherTenantThenInactiveThereAndActiveAtHome() {
        JsonNode t = signIn("walls@example.com");
        // the same client id and secret exist in tenant acme: still inactive there
        assertInactive(introspect(acme, "app", APP_SECRET, t.path("access_token").asString()));
        assertInactive(introspect(acme, "app", APP_SECRET, t.path("refresh_token").asString()));
        assertThat(introspect(issuer, "app", APP_SECRET, t.path("access_token").asString()).path("active").asBoolean()).isTrue();
    }

    @Test
    void introspectWhenClientCredentialsTokenThenActiveAboutTheClient() {
        HttpResponse<String> r = ClientCalls.basic(issuer, "/token", "other", "other-secret-0123456789",
                Map.of("grant_type", "client_credentials"));
        String at = RelyingParty.json(r).path("access_token").asString();
        JsonNode a = introspect(issuer, "other", "other-secret-0123456789", at);
        assertThat(a.path("active").asBoolean()).as(a.toString()).isTrue();
        assertThat(a.path("sub").asString()).isEqualTo("other");
    }
}
