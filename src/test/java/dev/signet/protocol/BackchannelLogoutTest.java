package dev.signet.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.LogoutReceiver;
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

/**
 * OpenID Connect Back-Channel Logout 1.0 on the running server: when a session ends, every client
 * that received tokens in it and has a {@code backchannel_logout_uri} gets a logout token (§2.4)
 * POSTed as a form (§2.5), through the outbox (retries, backoff, dead letter), never on the request
 * path; the token passes Nimbus's {@link LogoutTokenValidator} against the published JWKS.
 */
class BackchannelLogoutTest {

    static final String SECRET = "app-secret-0123456789";
    static final URI CB = URI.create("http://localhost:9/cb");

    static LogoutReceiver receiver;
    static LogoutReceiver esReceiver;
    static SignetHarness signet;
    static RelyingParty app;
    static RelyingParty es;
    static RelyingParty quiet;

    @BeforeAll
    static void start() {
        receiver = new LogoutReceiver();
        esReceiver = new LogoutReceiver();
        signet = SignetHarness.start(SignetHarness.server() + """
                events:
                  relay: {poll: 1s, backoff: 1s, max_backoff: 2s, max_attempts: 5}
                tenants:
                  - name: default
                    custom_domains: ["http://127.0.0.1:${PORT}"]
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                        backchannel_logout_uri: "${BCL}"
                        backchannel_logout_session_required: true
                      - id: es
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                        id_token_signed_response_alg: ES256
                        backchannel_logout_uri: "${BCL_ES}"
                      - id: quiet
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """, Map.of("BCL", receiver.url().toString(), "BCL_ES", esReceiver.url().toString()));
        app = new RelyingParty(signet, "app", Optional.of(SECRET), CB);
        es = new RelyingParty(signet, "es", Optional.of(SECRET), CB);
        quiet = new RelyingParty(signet, "quiet", Optional.of(SECRET), CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
        receiver.close();
        esReceiver.close();
    }

    record SignedIn(String idToken, JWTClaimsSet claims) {}

    static SignedIn signIn(Browser b, RelyingParty rp, String email) throws Exception {
        RelyingParty.Authorization a = rp.authorize("openid", Map.of());
        HttpResponse<String> first = b.get(a.url());
        URI back = first.statusCode() == 302 ? Browser.location(first) : DevSignIn.signIn(b, a.url(), email);
        HttpResponse<String> t = rp.exchange(Browser.query(back).get("code"), a.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        String idToken = RelyingParty.json(t).path("id_token").asString();
        return new SignedIn(idToken, JWTParser.parse(idToken).getJWTClaimsSet());
    }

    static void logout(Browser b, String idToken) {
        HttpResponse<String> r = b.get(URI.create(signet.url("/logout") + "?" + Browser.form(Map.of("id_token_hint", idToken))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("You are signed out");
    }

    /** Lets the relay run a pass, after its backoff (the relay's times come from the harness clock). */
    static void relayPass() {
        signet.clock.advance(Duration.ofSeconds(2));
        signet.wakeRelay();
    }

    static LogoutTokenClaimsSet validate(String token, String clientId, JWSAlgorithm alg) throws Exception {
        return validate(token, signet.issuer(), clientId, alg);
    }

    /** Validated as an application using Signet under {@code issuer} would (its discovery names that issuer). */
    static LogoutTokenClaimsSet validate(String token, URI issuer, String clientId, JWSAlgorithm alg) throws Exception {
        JWKSet jwks = JWKSet.load(URI.create(issuer + "/jwks").toURL());
        LogoutTokenValidator v = new LogoutTokenValidator(new Issuer(issuer), new ClientID(clientId), true,
                new JWSVerificationKeySelector<SecurityContext>(alg, new ImmutableJWKSet<>(jwks)), null);
        return v.validate(JWTParser.parse(token));
    }

    @Test
    void logoutWhenReceiverDownForAWhileThenUpThenDeliveredExactlyOnceAndValid() throws Exception {
        receiver.down.set(true);
        int before = receiver.tokens.size();
        Browser b = new Browser();
        SignedIn s = signIn(b, app, "down-then-up@example.com");
        signIn(b, quiet, "down-then-up@example.com"); // no backchannel_logout_uri: never told
        int attemptsBefore = receiver.attempts.get();

        long started = System.nanoTime();
        logout(b, s.idToken());
        // never on the request path: the sign-out answered while the receiver refuses everything
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        signet.wakeRelay();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.attempts.get() >= attemptsBefore + 1);
        relayPass();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.attempts.get() >= attemptsBefore + 2);
        assertThat(receiver.tokens).hasSize(before);

        receiver.down.set(false);
        relayPass();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.tokens.size() == before + 1);
        for (int i = 0; i < 3; i++) {
            relayPass();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> signet.events().backlog() == 0);
        assertThat(receiver.tokens).as("delivered exactly once").hasSize(before + 1);

        String token = receiver.tokens.get(before);
        assertThat(receiver.contentTypes).allSatisfy(c -> assertThat(c).startsWith("application/x-www-form-urlencoded"));
        assertThat(SignedJWT.parse(token).getHeader().getType().getType()).isEqualTo("logout+jwt");
        LogoutTokenClaimsSet claims = validate(token, "app", JWSAlgorithm.RS256);
        assertThat(claims.getSubject().getValue()).isEqualTo(s.claims().getSubject());
        assertThat(claims.getSessionID().getValue()).isEqualTo(s.claims().getStringClaim("sid"));
        JWTClaimsSet raw = claims.toJWTClaimsSet();
        assertThat(raw.getClaim("nonce")).isNull();
        assertThat(raw.getJWTID()).isNotBlank();
        assertThat(raw.getJSONObjectClaim("events")).containsOnlyKeys("http://schemas.openid.net/event/backchannel-logout");
        assertThat(raw.getExpirationTime()).isAfter(raw.getIssueTime());
    }

    @Test
    void logoutWhenTwoClientsReceivedTokensThenEachGetsItsOwnTokenSignedWithItsAlgorithm() throws Exception {
        int app0 = receiver.tokens.size();
        int es0 = esReceiver.tokens.size();
        Browser b = new Browser();
        SignedIn s = signIn(b, app, "two-clients@example.com");
        signIn(b, es, "two-clients@example.com");
        logout(b, s.idToken());
        signet.wakeRelay();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.tokens.size() == app0 + 1 && esReceiver.tokens.size() == es0 + 1);

        LogoutTokenClaimsSet forEs = validate(esReceiver.tokens.get(es0), "es", JWSAlgorithm.ES256);
        assertThat(forEs.getSessionID().getValue()).isEqualTo(s.claims().getStringClaim("sid"));
        assertThat(forEs.getAudience()).extracting(a -> a.getValue()).containsExactly("es");
        LogoutTokenClaimsSet forApp = validate(receiver.tokens.get(app0), "app", JWSAlgorithm.RS256);
        assertThat(forApp.getJWTID()).isNotEqualTo(forEs.getJWTID());
    }

    @Test
    void logoutWhenClientNeverReceivedTokensInTheSessionThenNotTold() throws Exception {
        int es0 = esReceiver.attempts.get();
        int app0 = receiver.tokens.size();
        Browser b = new Browser();
        SignedIn s = signIn(b, app, "only-app@example.com");
        logout(b, s.idToken());
        signet.wakeRelay();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.tokens.size() == app0 + 1);
        relayPass();
        await().atMost(Duration.ofSeconds(30)).until(() -> signet.events().backlog() == 0);
        assertThat(esReceiver.attempts.get()).isEqualTo(es0);
    }

    /**
     * Back-Channel Logout 1.0 §2.4: the logout token's {@code iss} is the issuer the client's session
     * was issued under. An application on a custom domain validates its logout tokens against that
     * domain's issuer, as it does its ID tokens; the default domain's issuer would be rejected. Both
     * ways a session ends on a domain: signed out there with its cookie, and by an ID token hint alone
     * (no cookie) sent to another domain of the tenant.
     */
    @Test
    void logoutWhenSessionOnCustomDomainThenLogoutTokenIssuedUnderThatDomain() throws Exception {
        URI custom = URI.create("http://127.0.0.1:" + signet.issuer().getPort());
        RelyingParty onCustom = new RelyingParty(custom, "app", Optional.of(SECRET), CB);
        for (boolean hintOnly : new boolean[] {false, true}) {
            int app0 = receiver.tokens.size();
            Browser b = new Browser();
            SignedIn s = signIn(b, onCustom, "custom-domain-" + hintOnly + "@example.com");
            assertThat(s.claims().getIssuer()).isEqualTo(custom.toString());
            Browser where = hintOnly ? new Browser() : b;
            URI logoutAt = URI.create((hintOnly ? signet.issuer() : custom) + "/logout?" + Browser.form(Map.of("id_token_hint", s.idToken())));
            HttpResponse<String> r = where.get(logoutAt);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("You are signed out");
            signet.wakeRelay();
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.tokens.size() == app0 + 1);

            String token = receiver.tokens.get(app0);
            assertThat(JWTParser.parse(token).getJWTClaimsSet().getIssuer()).as("hint only: " + hintOnly).isEqualTo(custom.toString());
            LogoutTokenClaimsSet claims = validate(token, custom, "app", JWSAlgorithm.RS256);
            assertThat(claims.getSessionID().getValue()).isEqualTo(s.claims().getStringClaim("sid"));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> validate(token, "app", JWSAlgorithm.RS256))
                    .as("not the default domain's issuer").isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class);
        }
    }

    @Test
    void validatorWhenTokenForAnotherClientThenRejected() throws Exception {
        int app0 = receiver.tokens.size();
        Browser b = new Browser();
        SignedIn s = signIn(b, app, "audience@example.com");
        logout(b, s.idToken());
        signet.wakeRelay();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.tokens.size() == app0 + 1);
        String token = receiver.tokens.get(app0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> validate(token, "quiet", JWSAlgorithm.RS256))
                .isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class);
    }
}
