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
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole journey through a real OIDC upstream (mock-oauth2-server on a real port): authorize →
 * sign-in page → upstream → callback → code → tokens → userinfo → refresh (rotated) → reuse of the
 * old refresh token revokes the family → SSO without the upstream → client_credentials.
 */
class OidcUpstreamJourneyTest {

    static MockOAuth2Server upstream;
    static SignetHarness signet;

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: ${APP_SECRET}
                    redirect_uris: [http://localhost:9/cb]
                    grant_types: [authorization_code, refresh_token, client_credentials]
                connections:
                  - id: corp
                    kind: oidc
                    name: Corp IdP
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: ${UPSTREAM_SECRET}
                    discovery: auto
            """;

    @BeforeAll
    static void start() {
        startOn(false);
    }

    /** Starts the upstream and Signet on SQLite or, with {@code postgres}, on a PostgreSQL database of its own. */
    static void startOn(boolean postgres) {
        upstream = new MockOAuth2Server();
        upstream.start();
        Map<String, String> env = Map.of("UPSTREAM", upstream.issuerUrl("corp").toString(),
                "UPSTREAM_SECRET", "upstream-secret", "APP_SECRET", "app-secret-0123456789");
        signet = postgres ? SignetHarness.startOnPostgres(CONFIG, env) : SignetHarness.start(CONFIG, env);
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.shutdown();
    }

    @Test
    void signInWhenUpstreamIsOidcThenTokensRefreshRotationAndFamilyRevocation() throws Exception {
        Browser browser = new Browser();
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid profile email offline_access", Map.of());

        // authorize → hosted sign-in page listing the connection
        HttpResponse<String> page = browser.get(auth.url());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(page.body()).contains("Corp IdP");

        // sign-in page → upstream authorization URL with Signet's own state, nonce and PKCE
        HttpResponse<String> toUpstream = browser.get(Browser.link(page.body(), "/signin/corp"));
        URI upstreamAuthorize = Browser.location(toUpstream);
        Map<String, String> uq = Browser.query(upstreamAuthorize);
        assertThat(upstreamAuthorize.toString()).startsWith(upstream.issuerUrl("corp").toString());
        assertThat(uq).containsKeys("state", "nonce", "code_challenge").containsEntry("code_challenge_method", "S256")
                .containsEntry("client_id", "signet").containsEntry("redirect_uri", signet.url("/callback/corp").toString());

        // upstream signs the user in and calls back
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "alice", "JWT", List.of("signet"),
                Map.of("email", "alice@example.com", "email_verified", true, "name", "Alice", "unknown_extra", Map.of("x", 1)), 3600));
        URI callback = Browser.location(browser.get(upstreamAuthorize));
        assertThat(callback.toString()).startsWith(signet.url("/callback/corp").toString());
        HttpResponse<String> afterCallback = browser.get(callback);
        assertThat(afterCallback.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("signet_session=") && c.contains("HttpOnly"));
        // straight back to the app with code, state and iss (RFC 9207): the resume step ran in the
        // callback's transaction (issue 16)
        URI back = Browser.location(afterCallback);
        Map<String, String> bq = Browser.query(back);
        assertThat(back.toString()).startsWith("http://localhost:9/cb?");
        assertThat(bq).containsEntry("state", auth.state()).containsEntry("iss", signet.issuer().toString()).containsKey("code");

        // code → tokens; the ID token validates against Signet's JWKS
        HttpResponse<String> tokenResponse = app.exchange(bq.get("code"), auth.verifier());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        assertThat(tokenResponse.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode tokens = RelyingParty.json(tokenResponse);
        assertThat(tokens.path("token_type").asString()).isEqualTo("Bearer");
        JWTClaimsSet id = app.validateIdToken(tokens.path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256);
        assertThat(id.getIssuer()).isEqualTo(signet.issuer().toString());
        assertThat(id.getAudience()).containsExactly("app");
        assertThat(id.getClaims()).containsKeys("auth_time", "at_hash", "sid", "iat", "exp")
                .containsEntry("email", "alice@example.com").containsEntry("email_verified", true).containsEntry("name", "Alice");
        String subject = id.getSubject();

        // the access token is an RFC 9068 JWT
        String accessToken = tokens.path("access_token").asString();
        // OIDC Core §3.1.3.8: at_hash binds the ID token to this access token (throws if it does not match)
        com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator.validate(
                new com.nimbusds.oauth2.sdk.token.BearerAccessToken(accessToken), JWSAlgorithm.RS256,
                new com.nimbusds.openid.connect.sdk.claims.AccessTokenHash(id.getStringClaim("at_hash")));
        assertThat(com.nimbusds.jwt.SignedJWT.parse(accessToken).getHeader().getType().getType()).isEqualTo("at+jwt");

        // userinfo
        HttpResponse<String> info = app.userinfo(accessToken);
        assertThat(info.statusCode()).isEqualTo(200);
        assertThat(RelyingParty.json(info).path("sub").asString()).isEqualTo(subject);
        assertThat(RelyingParty.json(info).path("email").asString()).isEqualTo("alice@example.com");

        // refresh rotates
        String refresh1 = tokens.path("refresh_token").asString();
        HttpResponse<String> r2 = app.refresh(refresh1);
        assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
        String refresh2 = RelyingParty.json(r2).path("refresh_token").asString();
        String access2 = RelyingParty.json(r2).path("access_token").asString();
        assertThat(refresh2).isNotEmpty().isNotEqualTo(refresh1);
        assertThat(app.userinfo(access2).statusCode()).isEqualTo(200);

        // reusing the rotated token revokes the whole family
        HttpResponse<String> reuse = app.refresh(refresh1);
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(RelyingParty.json(reuse).path("error").asString()).isEqualTo("invalid_grant");
        assertThat(RelyingParty.json(app.refresh(refresh2)).path("error").asString()).isEqualTo("invalid_grant");
        HttpResponse<String> revoked = app.userinfo(access2);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");

        // a second authorize in the same browser returns a code without the upstream (SSO)
        RelyingParty.Authorization again = app.authorize("openid email", Map.of());
        URI sso = Browser.location(browser.get(again.url()));
        assertThat(sso.toString()).startsWith("http://localhost:9/cb?");
        Map<String, String> sq = Browser.query(sso);
        JsonNode t2 = RelyingParty.json(app.exchange(sq.get("code"), again.verifier()));
        assertThat(app.validateIdToken(t2.path("id_token").asString(), again.nonce(), JWSAlgorithm.RS256).getSubject()).isEqualTo(subject);
    }

    @Test
    void clientCredentialsWhenConfidentialClientThenAccessTokenAboutTheClient() throws Exception {
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        HttpResponse<String> r = app.token(Map.of("grant_type", "client_credentials"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = RelyingParty.json(r);
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.has("id_token")).isFalse();
        JWTClaimsSet claims = app.verifyAccessToken(body.path("access_token").asString());
        assertThat(claims.getSubject()).isEqualTo("app");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("app");
        assertThat(claims.getIssuer()).isEqualTo(signet.issuer().toString());
    }

    @Test
    void discoveryWhenFetchedThenAdvertisesIssParameterAndBothForms() {
        Browser b = new Browser();
        JsonNode oidc = RelyingParty.json(b.get(signet.url("/.well-known/openid-configuration")));
        JsonNode rfc8414 = RelyingParty.json(b.get(signet.url("/.well-known/oauth-authorization-server")));
        assertThat(oidc.path("issuer").asString()).isEqualTo(signet.issuer().toString());
        assertThat(oidc.path("authorization_response_iss_parameter_supported").asBoolean()).isTrue();
        assertThat(oidc.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(rfc8414).isEqualTo(oidc);
        JsonNode jwks = RelyingParty.json(b.get(signet.url("/jwks")));
        assertThat(jwks.path("keys").size()).isEqualTo(2);
        assertThat(jwks.toString()).doesNotContain("\"d\"");
    }
}
