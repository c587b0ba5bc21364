package dev.signet.broker;

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
 * Which Signet user an upstream identity becomes (broker/Accounts), through the real server and two
 * real OIDC upstreams (mock-oauth2-server issuers "a" and "b"): linking by an email verified at
 * both, no linking by an unverified email, and the same upstream subject refreshing the profile.
 */
class AccountLinkingTest {

    static MockOAuth2Server upstream;
    static SignetHarness signet;

    static final String APP_SECRET = "app-secret-0123456789";

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: ${APP_SECRET}
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: a
                    kind: oidc
                    name: Upstream A
                    issuer: ${UPSTREAM_A}
                    client_id: signet
                    client_secret: ${UPSTREAM_SECRET}
                    discovery: auto
                  - id: b
                    kind: oidc
                    name: Upstream B
                    issuer: ${UPSTREAM_B}
                    client_id: signet
                    client_secret: ${UPSTREAM_SECRET}
                    discovery: auto
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        upstream = new MockOAuth2Server();
        upstream.start();
        signet = SignetHarness.start(CONFIG, Map.of("UPSTREAM_A", upstream.issuerUrl("a").toString(),
                "UPSTREAM_B", upstream.issuerUrl("b").toString(), "UPSTREAM_SECRET", "upstream-secret", "APP_SECRET", APP_SECRET));
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.shutdown();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of(APP_SECRET), URI.create("http://localhost:9/cb"));
    }

    /** The ID token (validated by Nimbus) and the access token of one sign-in. */
    record SignIn(JWTClaimsSet idToken, String accessToken) {}

    /**
     * A fresh browser signs in at upstream {@code connection} as {@code subject} with {@code claims}; the
     * {@code connection} authorize parameter skips Signet's chooser.
     */
    static SignIn signIn(String connection, String subject, Map<String, Object> claims) throws Exception {
        Browser browser = new Browser();
        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email profile", Map.of("connection", connection));

        URI signIn = Browser.location(browser.get(auth.url()));
        assertThat(signIn.getPath()).isEqualTo("/signin/" + connection);
        URI upstreamAuthorize = Browser.location(browser.get(signIn));
        assertThat(upstreamAuthorize.toString()).startsWith(upstream.issuerUrl(connection) + "/");

        upstream.enqueueCallback(new DefaultOAuth2TokenCallback(connection, subject, "JWT", List.of("signet"), claims, 3600));
        URI callback = Browser.location(browser.get(upstreamAuthorize));
        assertThat(callback.toString()).startsWith(signet.url("/callback/" + connection) + "?");
        URI back = Browser.location(browser.get(callback)); // straight back to the application (issue 16)
        Map<String, String> q = Browser.query(back);
        assertThat(q).containsEntry("state", auth.state()).containsKey("code");

        HttpResponse<String> t = app.exchange(q.get("code"), auth.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        JsonNode tokens = RelyingParty.json(t);
        JWTClaimsSet id = app.validateIdToken(tokens.path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256);
        return new SignIn(id, tokens.path("access_token").asString());
    }

    static JsonNode userinfo(String accessToken) {
        HttpResponse<String> r = app().userinfo(accessToken);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    @Test
    void signInWhenSameEmailVerifiedAtBothUpstreamsThenSameSubject() throws Exception {
        SignIn atA = signIn("a", "lena-at-a", Map.of("email", "lena@example.com", "email_verified", true, "name", "Lena"));
        SignIn atB = signIn("b", "lena-at-b", Map.of("email", "lena@example.com", "email_verified", true, "name", "Lena B"));
        assertThat(atA.idToken().getBooleanClaim("email_verified")).isTrue();
        assertThat(atB.idToken().getBooleanClaim("email_verified")).isTrue();
        assertThat(atB.idToken().getSubject()).isEqualTo(atA.idToken().getSubject());

        // another verified email at b is another user
        SignIn other = signIn("b", "omar-at-b", Map.of("email", "omar@example.com", "email_verified", true, "name", "Omar"));
        assertThat(other.idToken().getSubject()).isNotEqualTo(atA.idToken().getSubject());
    }

    @Test
    void signInWhenDevConnectionTypesAVerifiedUsersEmailThenNotLinked() throws Exception {
        SignIn atA = signIn("a", "pia-at-a", Map.of("email", "pia@example.com", "email_verified", true, "name", "Pia"));
        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        Map<String, String> q = Browser.query(dev.signet.harness.DevSignIn.signIn(new Browser(), auth.url(), "pia@example.com"));
        JsonNode tokens = RelyingParty.json(app.exchange(q.get("code"), auth.verifier()));
        JWTClaimsSet viaDev = app.validateIdToken(tokens.path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256);
        // a typed-in address is never verified, so it cannot take over the upstream-verified account
        assertThat(viaDev.getSubject()).isNotEqualTo(atA.idToken().getSubject());
        assertThat(viaDev.getBooleanClaim("email_verified")).isFalse();
    }

    @Test
    void signInWhenSameEmailUnverifiedAtSecondUpstreamThenNotLinked() throws Exception {
        SignIn atA = signIn("a", "mia-at-a", Map.of("email", "mia@example.com", "email_verified", true, "name", "Mia"));
        SignIn atB = signIn("b", "mia-at-b", Map.of("email", "mia@example.com", "email_verified", false, "name", "Not Mia"));
        assertThat(atB.idToken().getSubject()).isNotEqualTo(atA.idToken().getSubject());
        assertThat(atB.idToken().getStringClaim("email")).isEqualTo("mia@example.com");
        assertThat(atB.idToken().getBooleanClaim("email_verified")).isFalse();
        assertThat(atA.idToken().getBooleanClaim("email_verified")).isTrue();

        // the verified account at a is untouched: signing in there again is still the first user, verified
        SignIn againAtA = signIn("a", "mia-at-a", Map.of("email", "mia@example.com", "email_verified", true, "name", "Mia"));
        assertThat(againAtA.idToken().getSubject()).isEqualTo(atA.idToken().getSubject());
        assertThat(userinfo(againAtA.accessToken()).path("name").asString()).isEqualTo("Mia");
    }

    @Test
    void signInWhenSameUpstreamSubjectTwiceThenSameSubjectAndProfileFromLatest() throws Exception {
        SignIn first = signIn("a", "nils-at-a", Map.of("email", "nils@example.com", "email_verified", true, "name", "Nils Old"));
        assertThat(first.idToken().getStringClaim("name")).isEqualTo("Nils Old");
        assertThat(userinfo(first.accessToken()).path("name").asString()).isEqualTo("Nils Old");

        SignIn second = signIn("a", "nils-at-a", Map.of("email", "nils@example.com", "email_verified", true, "name", "Nils New"));
        assertThat(second.idToken().getSubject()).isEqualTo(first.idToken().getSubject());
        assertThat(second.idToken().getStringClaim("name")).isEqualTo("Nils New");
        JsonNode info = userinfo(second.accessToken());
        assertThat(info.path("sub").asString()).isEqualTo(first.idToken().getSubject());
        assertThat(info.path("name").asString()).isEqualTo("Nils New");
        // the stored profile changed, so the first sign-in's still valid access token sees it too
        assertThat(userinfo(first.accessToken()).path("name").asString()).isEqualTo("Nils New");
    }
}
