package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.app.Signet;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RawHttp;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11, defect 1: tenants are walls. Two tenants on two hosts of one Signet, each with a client
 * of the same id and secret and the built-in public demo client: nothing issued in tenant A (code,
 * refresh token, ID token, access token, session cookie) is worth anything at tenant B.
 */
class TenantWallsTest {

    static final String SECRET = "same-secret-in-both-0123456789";
    static final URI CB = URI.create("http://localhost:9/cb");

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                demo_client: true
                clients:
                  - id: app
                    secret: same-secret-in-both-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
              - name: acme
                issuer: "http://acme.test:${PORT}"
                demo_client: true
                clients:
                  - id: app
                    secret: same-secret-in-both-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    static SignetHarness signet;
    static URI issuerA;
    static URI issuerB;
    static RelyingParty appA;
    static RelyingParty appB;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        issuerA = signet.issuer();
        issuerB = URI.create("http://acme.test:" + port());
        appA = new RelyingParty(issuerA, "app", Optional.of(SECRET), CB);
        appB = new RelyingParty(issuerB, "app", Optional.of(SECRET), CB);
    }

    static int port() {
        return signet.issuer().getPort();
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    record Issued(RelyingParty.Authorization auth, String code) {}

    static Issued codeAtA(RelyingParty app, String scope, String email) {
        RelyingParty.Authorization a = app.authorize(scope, Map.of());
        return new Issued(a, DevSignIn.code(a.url(), email).get("code"));
    }

    static JsonNode tokensAtA(String scope, String email) {
        Issued c = codeAtA(appA, scope, email);
        HttpResponse<String> r = appA.exchange(c.code(), c.auth().verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    @Test
    void exchangeWhenCodeOfTenantAAtTenantBThenInvalidGrantAndCodeStillGoodAtA() {
        Issued c = codeAtA(appA, "openid email", "wall-code@example.com");

        assertOAuthError(appB.exchange(c.code(), c.auth().verifier()), 400, "invalid_grant");

        // refused at B means untouched: not consumed, not revoked
        HttpResponse<String> atA = appA.exchange(c.code(), c.auth().verifier());
        assertThat(atA.statusCode()).as(atA.body()).isEqualTo(200);
    }

    @Test
    void exchangeWhenDemoCodeOfTenantAAtTenantBThenInvalidGrant() {
        // the built-in public client exists in both tenants with the same id and no secret at all
        URI demoCallbackA = URI.create(issuerA + "/demo/callback");
        RelyingParty demoA = new RelyingParty(issuerA, "signet-demo", Optional.empty(), demoCallbackA);
        RelyingParty demoB = new RelyingParty(issuerB, "signet-demo", Optional.empty(), demoCallbackA);
        Issued c = codeAtA(demoA, "openid email", "wall-demo@example.com");

        assertOAuthError(demoB.exchange(c.code(), c.auth().verifier()), 400, "invalid_grant");
    }

    @Test
    void refreshWhenRefreshTokenOfTenantAAtTenantBThenInvalidGrantAndTokenStillGoodAtA() {
        String refresh = tokensAtA("openid email offline_access", "wall-refresh@example.com").path("refresh_token").asString();
        assertThat(refresh).isNotEmpty();

        assertOAuthError(appB.refresh(refresh), 400, "invalid_grant");

        HttpResponse<String> atA = appA.refresh(refresh);
        assertThat(atA.statusCode()).as(atA.body()).isEqualTo(200);
    }

    @Test
    void verifyWhenIdTokenOfTenantAWithTenantBJwksThenNoKeyVerifiesIt() throws Exception {
        JsonNode tokens = tokensAtA("openid email", "wall-jwks@example.com");
        SignedJWT idToken = SignedJWT.parse(tokens.path("id_token").asString());
        SignedJWT accessToken = SignedJWT.parse(tokens.path("access_token").asString());
        JWKSet jwksA = JWKSet.load(URI.create(issuerA + "/jwks").toURL());
        JWKSet jwksB = JWKSet.load(URI.create(issuerB + "/jwks").toURL());

        assertThat(kids(jwksB)).doesNotContainAnyElementsOf(kids(jwksA));
        assertThat(verifiesWithAnyKey(idToken, jwksA)).as("A's JWKS verifies A's ID token").isTrue();
        assertThat(verifiesWithAnyKey(idToken, jwksB)).as("B's JWKS verifies A's ID token").isFalse();
        assertThat(verifiesWithAnyKey(accessToken, jwksB)).as("B's JWKS verifies A's access token").isFalse();
    }

    @Test
    void userinfoWhenAccessTokenOfTenantAAtTenantBThenInvalidToken() {
        String access = tokensAtA("openid email", "wall-userinfo@example.com").path("access_token").asString();
        assertThat(appA.userinfo(access).statusCode()).isEqualTo(200);

        HttpResponse<String> atB = appB.userinfo(access);

        assertOAuthError(atB, 401, "invalid_token");
        assertThat(atB.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).contains("error=\"invalid_token\""));
    }

    @Test
    void authorizeWhenSessionCookieOfTenantAOnTenantBHostThenNoSessionThere() {
        Browser browser = new Browser();
        DevSignIn.signIn(browser, appA.authorize("openid", Map.of()).url(), "wall-cookie@example.com");
        String cookie = browser.cookie("signet_session").orElseThrow();
        String query = appB.authorize("openid", Map.of()).url().getRawQuery();
        Map<String, String> headers = Map.of("Host", "acme.test:" + port(), "Cookie", "signet_session=" + cookie);

        RawHttp.Response atB = RawHttp.get(port(), "/authorize?" + query, headers);

        // no session at B: the sign-in page, not a redirect carrying a code
        assertThat(atB.status()).as(atB.all()).isEqualTo(200);
        assertThat(atB.body()).contains("/signin/dev");
        // the same cookie is a session on A's own host (so the test above could fail)
        String queryA = appA.authorize("openid", Map.of()).url().getRawQuery();
        RawHttp.Response atA = RawHttp.get(port(), "/authorize?" + queryA,
                Map.of("Host", issuerA.getAuthority(), "Cookie", "signet_session=" + cookie));
        assertThat(atA.status()).as(atA.all()).isEqualTo(302);
        assertThat(atA.head()).contains("code=");
    }

    @Test
    void reloadWhenTenantAddedThenItsOwnKeysAreStoredBeforeItsFirstRequest() throws Exception {
        String withBeta = CONFIG + """
                  - name: beta
                    issuer: "http://beta.test:${PORT}"
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """;
        var config = Signet.configLoader(Map.of("PORT", String.valueOf(port()), "DATA", signet.dataDir().toString()))
                .parse(withBeta, "test.yaml");

        assertThat(signet.app().reloader().apply(config, "test").applied()).isTrue();

        assertThat(storedKids("beta")).hasSize(2);
        JWKSet jwksBeta = JWKSet.load(URI.create("http://beta.test:" + port() + "/jwks").toURL());
        assertThat(kids(jwksBeta)).isEqualTo(storedKids("beta"))
                .doesNotContainAnyElementsOf(kids(JWKSet.load(URI.create(issuerA + "/jwks").toURL())))
                .doesNotContainAnyElementsOf(kids(JWKSet.load(URI.create(issuerB + "/jwks").toURL())));
    }

    /** The kids the store holds for {@code tenant}, read straight from the database file. */
    private static Set<String> storedKids(String tenant) throws Exception {
        String url = "jdbc:sqlite:" + signet.dataDir().resolve("signet.db").toAbsolutePath();
        Set<String> kids = new java.util.HashSet<>();
        try (var c = java.sql.DriverManager.getConnection(url);
                var st = c.prepareStatement("SELECT kid FROM signing_keys WHERE tenant = ?")) {
            st.setString(1, tenant);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    kids.add(rs.getString(1));
                }
            }
        }
        return kids;
    }

    private static Set<String> kids(JWKSet set) {
        return set.getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
    }

    /** Tries every key of the set, whatever its kid: a shared key would verify under any name. */
    private static boolean verifiesWithAnyKey(SignedJWT jwt, JWKSet set) throws Exception {
        for (JWK k : set.getKeys()) {
            JWSVerifier v = switch (k) {
                case RSAKey r -> new RSASSAVerifier(r);
                case ECKey e -> new ECDSAVerifier(e);
                default -> null;
            };
            if (v != null && v.supportedJWSAlgorithms().contains(jwt.getHeader().getAlgorithm()) && jwt.verify(v)) {
                return true;
            }
        }
        return false;
    }
}
