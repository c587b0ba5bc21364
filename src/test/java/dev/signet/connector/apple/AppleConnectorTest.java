package dev.signet.connector.apple;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.connector.ConnectorContract;
import dev.signet.connector.fake.AppleFake;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contract for {@code kind: apple} against {@link AppleFake}, every callback a cross-site form
 * POST (response_mode=form_post) that carries only the {@code SameSite=None} state cookie; then what
 * is Apple's own: the name from the first sign-in's {@code user} field, the ES256 client secret the
 * fake verifies, a refused client secret, the state cookies' attributes, a callback in the wrong
 * response mode, Apple's cancel, a private-relay address.
 */
class AppleConnectorTest extends ConnectorContract {

    AppleFake apple;

    @Override
    protected void startUpstream() {
        apple = new AppleFake();
    }

    @Override
    protected void stopUpstream() {
        apple.close();
    }

    static String connection(String id, String name, String teamId, String more) {
        return """
                      - id: %s
                        kind: apple
                        name: %s
                        client_id: %s
                        team_id: %s
                        key_id: %s
                        private_key: ${APPLE_KEY}
                        unsafe_endpoint_base: ${APPLE}
                        timeout: 2s
                """.formatted(id, name, AppleFake.CLIENT_ID, teamId, AppleFake.KEY_ID) + more;
    }

    @Override
    protected String connections() {
        return connection("main", "Main IdP", AppleFake.TEAM_ID, "")
                + connection("strict", "Strict IdP", AppleFake.TEAM_ID, "        iss_parameter_supported: true\n")
                + connection("otherteam", "Other team", "OTHER12345", "");
    }

    @Override
    protected Map<String, String> env() {
        return Map.of("APPLE", apple.base(), "APPLE_KEY", apple.privateKeyPem());
    }

    @Override
    protected boolean formPost(String connection) {
        return true;
    }

    @Override
    protected String expectedIssuer() {
        return apple.base();
    }

    @Override
    protected String authorizationEndpoint() {
        return apple.base() + "/auth/authorize";
    }

    @Override
    protected void nextSignIn(Person p) {
        apple.nextSignIn(p);
    }

    @Override
    protected String nextAnswerLacksRequiredField() {
        return apple.nextTokenResponseWithoutIdToken();
    }

    @Override
    protected void failNextCall(Fault fault) {
        apple.failNextTokenRequest(fault);
    }

    @Test
    void signInWhenNotTheFirstThenNoUserFieldAndTheNameIsKept() throws Exception {
        Person ada = new Person(unique("ada"), unique("ada") + "@example.com", true, "Ada Lovelace");
        JWTClaimsSet first = signIn("main", ada, UnaryOperator.identity());
        assertThat(first.getStringClaim("name")).isEqualTo("Ada Lovelace");

        Browser browser = new Browser();
        URI again = throughUpstream(browser, "main", ada);
        assertThat(Browser.query(again)).containsKeys("code", "state").doesNotContainKey("user");
        JWTClaimsSet second = signIn("main", ada, UnaryOperator.identity());
        assertThat(second.getSubject()).isEqualTo(first.getSubject());
        assertThat(second.getStringClaim("name")).isEqualTo("Ada Lovelace");
    }

    @Test
    void signInWhenUserFieldIsNotJsonThenSignedInWithoutName() throws Exception {
        JWTClaimsSet id = signIn("main", person("zed"), u -> withField(u, "user", "{not json"));
        assertThat(id.getSubject()).isNotBlank();
        assertThat(id.getClaims()).doesNotContainKey("name");
    }

    @Test
    void tokenRequestThenClientSecretIsAnEs256JwtAppleAcceptsAndItIsReused() throws Exception {
        int before = apple.clientSecrets().size();
        int refusedBefore = apple.refusals().size();
        signIn("main", person("cleo"), UnaryOperator.identity());
        signIn("main", person("cato"), UnaryOperator.identity());
        List<SignedJWT> sent = apple.clientSecrets().subList(before, apple.clientSecrets().size());
        assertThat(sent).hasSize(2);
        assertThat(apple.refusals()).hasSize(refusedBefore);
        SignedJWT s = sent.getFirst();
        assertThat(s.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(s.getHeader().getKeyID()).isEqualTo(AppleFake.KEY_ID);
        JWTClaimsSet c = s.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo(AppleFake.TEAM_ID);
        assertThat(c.getSubject()).isEqualTo(AppleFake.CLIENT_ID);
        assertThat(c.getAudience()).containsExactly(apple.base());
        // cached: the second token request carried the same signed secret
        assertThat(sent.get(1).serialize()).isEqualTo(s.serialize());
    }

    @Test
    void tokenRequestWhenAppleRefusesTheClientSecretThenClientRejected() {
        Browser browser = new Browser();
        URI callback = throughUpstream(browser, "otherteam", person("tim"));
        HttpResponse<String> r = deliver(browser, callback);
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.reason()).isEqualTo("upstream.client_rejected");
        assertThat(page.provider()).contains("Other team");
        assertThat(apple.refusals()).last().asString().contains("OTHER12345");
        assertNoSession(r);
    }

    @Test
    void signInThenStateBoundByALaxAndACrossSiteCookie() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(app().authorize("openid email", Map.of()).url());
        HttpResponse<String> start = browser.get(Browser.link(page.body(), "/signin/main?"));
        List<String> cookies = start.headers().allValues("Set-Cookie");
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("signet_upstream_state=").contains("SameSite=Lax"));
        assertThat(cookies).anySatisfy(c -> assertThat(c).startsWith("signet_upstream_state_xs=")
                .contains("Path=/callback").contains("HttpOnly").contains("SameSite=None").contains("Secure"));
    }

    @Test
    void callbackWhenAGetForAFormPostConnectionThenBadResponse() {
        Browser browser = new Browser();
        URI callback = throughUpstream(browser, "main", person("gus"));
        HttpResponse<String> r = browser.get(callback); // the code in a URL, not posted
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).isEqualTo(502);
        assertThat(page.reason()).isEqualTo("upstream.bad_response");
        assertThat(log.detail(page.correlationId())).contains("response_mode=form_post");
        assertNoSession(r);
    }

    @Test
    void callbackWhenTheUserCancelsAtAppleThenDenied() {
        Browser browser = new Browser();
        URI callback = throughUpstream(browser, "main", person("cam"));
        Map<String, String> q = Browser.query(callback);
        HttpResponse<String> r = callback(browser, "main", params("state", q.get("state"), "error", "user_cancelled_authorize"));
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.reason()).isEqualTo("upstream.denied");
        assertNoSession(r);
    }

    @Test
    void signInWhenPrivateRelayAddressThenAVerifiedEmail() throws Exception {
        String relay = unique("x") + "@privaterelay.appleid.com";
        JWTClaimsSet id = signIn("main", new Person(unique("rel"), relay, true, "Rel Ay"), UnaryOperator.identity());
        assertThat(id.getClaims()).containsEntry("email", relay).containsEntry("email_verified", true);
    }

    @Test
    void callbackWhenIdTokenIsNotForThisSignInThenIdTokenInvalid() {
        Map<String, java.util.function.UnaryOperator<JWTClaimsSet.Builder>> forged = new LinkedHashMap<>();
        forged.put("aud", c -> c.audience("com.other.app"));
        forged.put("nonce", c -> c.claim("nonce", "not-the-nonce-signet-sent"));
        forged.put("iss", c -> c.issuer("https://appleid.apple.com.evil.example"));
        forged.put("exp", c -> c.issueTime(new java.util.Date(System.currentTimeMillis() - 7_200_000))
                .expirationTime(new java.util.Date(System.currentTimeMillis() - 3_600_000)));
        forged.put("signature", null);
        forged.forEach((what, change) -> {
            Browser browser = new Browser();
            URI callback = throughUpstream(browser, "main", person("fay"));
            if (change == null) {
                apple.nextIdTokenSignedByAnotherKey();
            } else {
                apple.nextIdToken(change);
            }
            HttpResponse<String> r = deliver(browser, callback);
            ErrorPage page = ErrorPage.of(r);
            assertThat(page.reason()).as(what).isEqualTo("upstream.id_token_invalid");
            assertNoSession(r);
        });
    }

    private static URI withField(URI callback, String name, String value) {
        Map<String, String> q = new LinkedHashMap<>(Browser.query(callback));
        q.put(name, value);
        String s = callback.toString();
        return URI.create(s.substring(0, s.indexOf('?')) + "?" + Browser.form(q));
    }
}
