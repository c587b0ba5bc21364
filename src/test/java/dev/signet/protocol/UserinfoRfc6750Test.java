package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The UserInfo endpoint as an RFC 6750 protected resource (OIDC Core §5.3.3): every refusal is a
 * 401 whose {@code WWW-Authenticate: Bearer} carries {@code error="invalid_token"} (RFC 6750 §3.1).
 */
class UserinfoRfc6750Test {

    static SignetHarness signet;
    static RelyingParty app;
    static RelyingParty service;

    static final URI CB = URI.create("http://localhost:9/cb");

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                  - id: service
                    secret: service-secret-0123456789
                    grant_types: [client_credentials]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), CB);
        service = new RelyingParty(signet, "service", Optional.of("service-secret-0123456789"), CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static HttpResponse<String> userinfo(Optional<String> authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(signet.url("/userinfo")).GET();
        authorization.ifPresent(a -> b.header("Authorization", a));
        return new Browser().send(b);
    }

    static void assertInvalidToken(HttpResponse<String> r) {
        assertOAuthError(r, 401, "invalid_token");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h ->
                assertThat(h).startsWith("Bearer ").contains("error=\"invalid_token\""));
    }

    static String userAccessToken(String email) {
        RelyingParty.Authorization a = app.authorize("openid email", Map.of());
        String code = DevSignIn.code(a.url(), email).get("code");
        HttpResponse<String> r = app.exchange(code, a.verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r).path("access_token").asString();
    }

    @Test
    void userinfoWhenNoTokenThenUnauthorizedChallengeWithoutErrorCode() {
        HttpResponse<String> r = userinfo(Optional.empty());
        assertThat(r.statusCode()).isEqualTo(401);
        // RFC 6750 §3.1: no error code when the request carried no credentials at all
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"signet\"");
    }

    @Test
    void userinfoWhenTokenIsGarbageThenUnauthorizedInvalidToken() {
        assertInvalidToken(app.userinfo("not-a-token"));
    }

    @Test
    void userinfoWhenTokenIsNotBearerSchemeThenUnauthorizedChallengeWithoutErrorCode() {
        String token = userAccessToken("basic-scheme@example.com");
        HttpResponse<String> r = userinfo(Optional.of("Basic " + token));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"signet\"");
    }

    @Test
    void userinfoWhenTokenIsClientCredentialsTokenThenUnauthorizedInvalidToken() {
        HttpResponse<String> t = service.token(Map.of("grant_type", "client_credentials"));
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        assertInvalidToken(app.userinfo(RelyingParty.json(t).path("access_token").asString()));
    }

    @Test
    void userinfoWhenTokenSignedByAnotherKeyThenUnauthorizedInvalidToken() throws Exception {
        String real = userAccessToken("forged@example.com");
        JWTClaimsSet claims = SignedJWT.parse(real).getJWTClaimsSet();
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(SignedJWT.parse(real).getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("at+jwt"))
                .keyID(attacker.getKeyID()).build(), claims);
        forged.sign(new ECDSASigner(attacker));
        assertInvalidToken(app.userinfo(forged.serialize()));
    }

    @Test
    void userinfoWhenTokenIsAnIdTokenThenUnauthorizedInvalidToken() {
        RelyingParty.Authorization a = app.authorize("openid email", Map.of());
        String code = DevSignIn.code(a.url(), "id-token-as-access@example.com").get("code");
        String idToken = RelyingParty.json(app.exchange(code, a.verifier())).path("id_token").asString();
        assertInvalidToken(app.userinfo(idToken));
    }

    @Test
    void userinfoWhenTokenValidThenClaims() {
        HttpResponse<String> r = app.userinfo(userAccessToken("valid@example.com"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RelyingParty.json(r).path("email").asString()).isEqualTo("valid@example.com");
    }

    /** RFC 6750 §2.2 (OIDC Core §5.3.1): on a POST the token may come in a form-encoded body instead of the header. */
    @Test
    void userinfoWhenPostWithTokenInFormBodyThenClaims() {
        String token = userAccessToken("form-body@example.com");
        HttpResponse<String> r = postForm("access_token=" + token, Optional.empty());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RelyingParty.json(r).path("email").asString()).isEqualTo("form-body@example.com");
        assertInvalidToken(postForm("access_token=not-a-token", Optional.empty()));
    }

    /** RFC 6750 §2: a client MUST NOT send the token more than one way; §3.1: that is invalid_request, 400. */
    @Test
    void userinfoWhenTokenInHeaderAndFormBodyThenBadRequestInvalidRequest() {
        String token = userAccessToken("two-ways@example.com");
        HttpResponse<String> r = postForm("access_token=" + token, Optional.of("Bearer " + token));
        assertOAuthError(r, 400, "invalid_request");
        // RFC 6750 §3: the challenge's error_description is printable ASCII without quote or backslash
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h)
                .contains("error=\"invalid_request\"", "(RFC 6750 section 2)").matches("[\\x20-\\x7E]*"));
        assertOAuthError(postForm("access_token=" + token + "&access_token=" + token, Optional.empty()), 400, "invalid_request");
    }

    private static HttpResponse<String> postForm(String body, Optional<String> authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(signet.url("/userinfo"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        authorization.ifPresent(a -> b.header("Authorization", a));
        return new Browser().send(b);
    }

    @Test
    void userinfoWhenAccessTokenNearlyExpiredThenClaims() {
        String token = userAccessToken("nearly-expired-at@example.com");
        signet.clock.advance(Duration.ofMinutes(9));
        assertThat(app.userinfo(token).statusCode()).isEqualTo(200);
    }

    @Test
    void userinfoWhenAccessTokenExpiredThenUnauthorizedInvalidToken() {
        String token = userAccessToken("expired-at@example.com");
        // access_token_ttl defaults to 10 minutes; Nimbus allows 60 s of clock skew.
        signet.clock.advance(Duration.ofMinutes(12));
        assertInvalidToken(app.userinfo(token));
    }
}
