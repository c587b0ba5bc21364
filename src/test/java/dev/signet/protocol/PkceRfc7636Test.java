package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertErrorRedirect;
import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PKCE (RFC 7636) as RFC 9700 §2.1.1 profiles it: required for public clients, S256 only, and a
 * code_verifier without a code_challenge is a downgrade attempt.
 */
class PkceRfc7636Test {

    static SignetHarness signet;
    static RelyingParty spa;
    static RelyingParty app;

    static final URI SPA_CB = URI.create("http://localhost:9/spa");
    static final URI APP_CB = URI.create("http://localhost:9/cb");

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: spa
                    public: true
                    redirect_uris: [http://localhost:9/spa]
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        spa = new RelyingParty(signet, "spa", Optional.empty(), SPA_CB);
        app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), APP_CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static RelyingParty.Authorization request(RelyingParty rp, String... changes) {
        Map<String, String> extra = new HashMap<>();
        for (int i = 0; i < changes.length; i += 2) {
            extra.put(changes[i], changes[i + 1]);
        }
        return rp.authorize("openid email", extra);
    }

    static HttpResponse<String> exchange(RelyingParty rp, String code, Optional<String> verifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", rp.redirectUri.toString());
        verifier.ifPresent(v -> form.put("code_verifier", v));
        return rp.token(form);
    }

    // ---- at the authorization endpoint

    @Test
    void authorizeWhenPublicClientSendsNoCodeChallengeThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(spa, "code_challenge", null, "code_challenge_method", null);
        assertErrorRedirect(new Browser().get(a.url()), signet, SPA_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenCodeChallengeMethodPlainThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(spa, "code_challenge_method", "plain");
        assertErrorRedirect(new Browser().get(a.url()), signet, SPA_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenCodeChallengeMethodOmittedThenPlainIsMeantAndRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(spa, "code_challenge_method", null);
        assertErrorRedirect(new Browser().get(a.url()), signet, SPA_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenConfidentialClientUsesPlainThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(app, "code_challenge_method", "plain");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenCodeChallengeMethodUnknownThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(spa, "code_challenge_method", "S512");
        assertErrorRedirect(new Browser().get(a.url()), signet, SPA_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenCodeChallengeIsNotAnS256ValueThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(spa, "code_challenge", "too-short");
        assertErrorRedirect(new Browser().get(a.url()), signet, SPA_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenMethodWithoutChallengeThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(app, "code_challenge", null);
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_request", Optional.of(a.state()));
    }

    // ---- at the token endpoint (RFC 7636 §4.6)

    @Test
    void exchangeWhenCodeVerifierWrongThenInvalidGrant() {
        RelyingParty.Authorization a = request(spa);
        String code = DevSignIn.code(a.url(), "wrong-verifier@example.com").get("code");
        assertOAuthError(spa.exchange(code, RelyingParty.random() + RelyingParty.random()), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenWrongVerifierTriedFirstThenCodeIsConsumedAndRightVerifierAlsoFails() {
        RelyingParty.Authorization a = request(spa);
        String code = DevSignIn.code(a.url(), "consumed@example.com").get("code");
        assertOAuthError(spa.exchange(code, RelyingParty.random() + RelyingParty.random()), 400, "invalid_grant");
        assertOAuthError(spa.exchange(code, a.verifier()), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenCodeVerifierMissingThenInvalidGrant() {
        RelyingParty.Authorization a = request(spa);
        String code = DevSignIn.code(a.url(), "no-verifier@example.com").get("code");
        assertOAuthError(exchange(spa, code, Optional.empty()), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenCodeVerifierIsTheChallengeItselfThenInvalidGrant() {
        RelyingParty.Authorization a = request(spa);
        String code = DevSignIn.code(a.url(), "challenge-as-verifier@example.com").get("code");
        assertOAuthError(spa.exchange(code, RelyingParty.s256(a.verifier())), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenPublicClientUsesRightVerifierThenTokens() {
        RelyingParty.Authorization a = request(spa);
        String code = DevSignIn.code(a.url(), "spa-ok@example.com").get("code");
        HttpResponse<String> r = spa.exchange(code, a.verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RelyingParty.json(r).path("id_token").asString()).isNotEmpty();
    }

    @Test
    void exchangeWhenConfidentialClientSendsVerifierButNoChallengeWasUsedThenInvalidGrant() {
        // RFC 9700 §2.1.1: a PKCE downgrade attempt.
        RelyingParty.Authorization a = request(app, "code_challenge", null, "code_challenge_method", null);
        String code = DevSignIn.code(a.url(), "downgrade@example.com").get("code");
        assertOAuthError(app.exchange(code, a.verifier()), 400, "invalid_grant");
    }

    @Test
    void exchangeWhenConfidentialClientWithoutPkceThenTokens() {
        RelyingParty.Authorization a = request(app, "code_challenge", null, "code_challenge_method", null);
        Map<String, String> q = DevSignIn.code(a.url(), "no-pkce@example.com");
        assertThat(q).containsEntry("state", a.state());
        HttpResponse<String> r = exchange(app, q.get("code"), Optional.empty());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RelyingParty.json(r).path("id_token").asString()).isNotEmpty();
    }

    @Test
    void exchangeWhenConfidentialClientUsedChallengeButSendsNoVerifierThenInvalidGrant() {
        RelyingParty.Authorization a = request(app);
        String code = DevSignIn.code(a.url(), "app-no-verifier@example.com").get("code");
        assertOAuthError(exchange(app, code, Optional.empty()), 400, "invalid_grant");
    }
}
