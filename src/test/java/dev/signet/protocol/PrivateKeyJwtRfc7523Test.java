package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 7523 §2.2 and §3 (OIDC Core §9 {@code private_key_jwt}) on the running server: a client with
 * inline {@code jwks} (RS256) and one with a {@code jwks_uri} (ES256, served here, fetches counted).
 * Every refusal is 401 {@code invalid_client} (RFC 7521 §4.2.1), except two methods at once
 * ({@code invalid_request}, RFC 6749 §2.3). Assertions are timed on Signet's clock.
 */
class PrivateKeyJwtRfc7523Test {

    static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    static RSAKey inlineKey;
    static ECKey remoteKey;
    static final AtomicReference<JWKSet> published = new AtomicReference<>();
    static final AtomicInteger fetches = new AtomicInteger();
    static HttpServer jwksServer;
    static SignetHarness signet;
    static URI issuer;

    @BeforeAll
    static void start() throws Exception {
        inlineKey = new RSAKeyGenerator(2048).keyID("inline-1").generate();
        remoteKey = new ECKeyGenerator(Curve.P_256).keyID("remote-1").generate();
        published.set(new JWKSet(remoteKey.toPublicJWK()));
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks.json", ex -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString(true).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        jwksServer.start();
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: inline
                        token_endpoint_auth_method: private_key_jwt
                        jwks: ${INLINE_JWKS}
                        grant_types: [client_credentials, urn:ietf:params:oauth:grant-type:device_code]
                      - id: remote
                        token_endpoint_auth_method: private_key_jwt
                        jwks_uri: ${JWKS_URI}
                        grant_types: [client_credentials]
                      - id: secretive
                        secret: secretive-secret-0123456789
                        grant_types: [client_credentials]
                      - id: posty
                        secret: posty-secret-0123456789
                        token_endpoint_auth_method: client_secret_post
                        grant_types: [client_credentials]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """, Map.of("INLINE_JWKS", new JWKSet(inlineKey.toPublicJWK()).toString(true),
                "JWKS_URI", "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json"));
        issuer = signet.issuer();
    }

    @AfterAll
    static void stop() {
        signet.close();
        jwksServer.stop(0);
    }

    // ---- assertions

    static JWTClaimsSet.Builder claims(String client, String aud) {
        Instant now = signet.clock.instant();
        return new JWTClaimsSet.Builder().issuer(client).subject(client).audience(aud).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(120)));
    }

    static String sign(JWK key, JWTClaimsSet claims) {
        try {
            boolean rsa = key instanceof RSAKey;
            JWSSigner signer = rsa ? new RSASSASigner((RSAKey) key) : new ECDSASigner((ECKey) key);
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(rsa ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String inline(Consumer<JWTClaimsSet.Builder> change) {
        JWTClaimsSet.Builder b = claims("inline", issuer + "/token");
        change.accept(b);
        return sign(inlineKey, b.build());
    }

    static HttpResponse<String> token(String assertion, Map<String, String> extra) {
        Map<String, String> form = new HashMap<>(Map.of("grant_type", "client_credentials", "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", assertion));
        form.putAll(extra);
        return ClientCalls.form(issuer, "/token", form);
    }

    static void assertToken(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RelyingParty.json(r).path("access_token").asString()).isNotEmpty();
    }

    // ---- accepted

    @Test
    void tokenWhenInlineKeyAssertionWithAudTokenEndpointOrIssuerThenTokens() {
        assertToken(token(inline(b -> {}), Map.of()));
        assertToken(token(inline(b -> b.audience(issuer.toString())), Map.of("client_id", "inline")));
    }

    @Test
    void tokenWhenJwksUriKeyThenFetchedOnceAndCachedThenRotationFetchedOnUnknownKid() throws Exception {
        int before = fetches.get();
        assertToken(token(sign(remoteKey, claims("remote", issuer + "/token").build()), Map.of()));
        assertToken(token(sign(remoteKey, claims("remote", issuer + "/token").build()), Map.of()));
        int afterTwo = fetches.get();
        assertThat(afterTwo - before).as("cached after the first fetch").isLessThanOrEqualTo(1);

        // the client rotates its key: the unknown kid makes Signet fetch again, at once
        ECKey next = new ECKeyGenerator(Curve.P_256).keyID("remote-2-" + UUID.randomUUID()).generate();
        published.set(new JWKSet(List.of(next.toPublicJWK(), remoteKey.toPublicJWK())));
        assertToken(token(sign(next, claims("remote", issuer + "/token").build()), Map.of()));
        assertThat(fetches.get()).isEqualTo(afterTwo + 1);

        // a flood of made-up kids costs a bounded number of fetches (rate limited), never one per request
        int beforeFlood = fetches.get();
        for (int i = 0; i < 10; i++) {
            ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("unknown-" + i).generate();
            assertOAuthError(token(sign(stranger, claims("remote", issuer + "/token").build()), Map.of()), 401, "invalid_client");
        }
        assertThat(fetches.get() - beforeFlood).as("refetches during the flood").isLessThanOrEqualTo(2);
    }

    @Test
    void assertionAcceptedAtIntrospectionRevocationAndDeviceAuthorizationWithTheirOwnAud() {
        String at = RelyingParty.json(token(inline(b -> {}), Map.of())).path("access_token").asString();
        HttpResponse<String> i = ClientCalls.form(issuer, "/introspect", Map.of("token", at, "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", inline(b -> b.audience(issuer + "/introspect"))));
        assertThat(RelyingParty.json(i).path("active").asBoolean()).as(i.body()).isTrue();
        HttpResponse<String> d = ClientCalls.form(issuer, "/device_authorization", Map.of("client_assertion_type", ASSERTION_TYPE,
                "client_assertion", inline(b -> b.audience(issuer + "/device_authorization"))));
        assertThat(d.statusCode()).as(d.body()).isEqualTo(200);
        HttpResponse<String> r = ClientCalls.form(issuer, "/revoke", Map.of("token", at, "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", inline(b -> b.audience(issuer + "/revoke"))));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        HttpResponse<String> after = ClientCalls.form(issuer, "/introspect", Map.of("token", at, "client_assertion_type", ASSERTION_TYPE,
                "client_assertion", inline(b -> b.audience(issuer.toString()))));
        assertThat(RelyingParty.json(after).path("active").asBoolean()).as(after.body()).isFalse();
    }

    // ---- refused: invalid_client (RFC 7521 §4.2.1)

    @Test
    void tokenWhenSameJtiTwiceThenSecondInvalidClient() {
        String once = inline(b -> {});
        assertToken(token(once, Map.of()));
        assertOAuthError(token(once, Map.of()), 401, "invalid_client");
    }

    @Test
    void tokenWhenExpMissingPastOrTooFarAheadThenInvalidClient() {
        Instant now = signet.clock.instant();
        assertOAuthError(token(inline(b -> b.expirationTime(null)), Map.of()), 401, "invalid_client");
        assertOAuthError(token(inline(b -> b.expirationTime(Date.from(now.minusSeconds(60)))), Map.of()), 401, "invalid_client");
        assertOAuthError(token(inline(b -> b.expirationTime(Date.from(now.plusSeconds(3600)))), Map.of()), 401, "invalid_client");
        assertOAuthError(token(inline(b -> b.notBeforeTime(Date.from(now.plusSeconds(600)))), Map.of()), 401, "invalid_client");
        assertToken(token(inline(b -> b.expirationTime(Date.from(now.plusSeconds(540)))), Map.of()));
    }

    @Test
    void tokenWhenAudIssOrSubWrongThenInvalidClient() {
        assertOAuthError(token(inline(b -> b.audience("https://elsewhere.example/token")), Map.of()), 401, "invalid_client");
        assertOAuthError(token(inline(b -> b.audience(issuer + "/userinfo")), Map.of()), 401, "invalid_client");
        assertOAuthError(token(inline(b -> b.subject("remote")), Map.of()), 401, "invalid_client");
        assertOAuthError(token(inline(b -> {}), Map.of("client_id", "remote")), 401, "invalid_client");
        assertOAuthError(token(inline(b -> b.jwtID(null)), Map.of()), 401, "invalid_client");
    }

    @Test
    void tokenWhenSignedWithAnotherKeyUnderTheRegisteredKidThenInvalidClient() throws Exception {
        RSAKey impostor = new RSAKeyGenerator(2048).keyID("inline-1").generate();
        assertOAuthError(token(sign(impostor, claims("inline", issuer + "/token").build()), Map.of()), 401, "invalid_client");
    }

    @Test
    void tokenWhenAlgNoneOrHmacWithThePublicKeyThenInvalidClient() throws Exception {
        JWTClaimsSet c = claims("inline", issuer + "/token").build();
        assertOAuthError(token(new PlainJWT(c).serialize(), Map.of()), 401, "invalid_client");
        // the classic confusion: HS256 keyed with the client's public key bytes
        SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("inline-1").type(JOSEObjectType.JWT).build(), c);
        hmac.sign(new MACSigner(inlineKey.toPublicJWK().toRSAPublicKey().getEncoded()));
        assertOAuthError(token(hmac.serialize(), Map.of()), 401, "invalid_client");
        assertOAuthError(token("not.a.jwt", Map.of()), 401, "invalid_client");
    }

    @Test
    void tokenWhenAssertionTypeWrongOrAssertionAloneThenRefused() {
        assertOAuthError(token(inline(b -> {}), Map.of("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:saml2-bearer")),
                401, "invalid_client");
        assertOAuthError(ClientCalls.form(issuer, "/token", Map.of("grant_type", "client_credentials", "client_assertion",
                inline(b -> {}))), 400, "invalid_request");
    }

    @Test
    void tokenWhenMethodIsNotTheRegisteredOneThenInvalidClient() {
        // a private_key_jwt client has no secret to send
        assertOAuthError(ClientCalls.basic(issuer, "/token", "inline", "any-secret-0123456789", Map.of("grant_type", "client_credentials")),
                401, "invalid_client");
        // a client_secret client cannot switch to an assertion
        JWTClaimsSet c = claims("secretive", issuer + "/token").build();
        assertOAuthError(token(sign(inlineKey, c), Map.of()), 401, "invalid_client");
    }

    /** OIDC Core §9 / RFC 7591 §2: a client that registered client_secret_post authenticates only that way. */
    @Test
    void tokenWhenClientRegisteredSecretPostUsesBasicThenInvalidClientAndPostWorks() {
        assertOAuthError(ClientCalls.basic(issuer, "/token", "posty", "posty-secret-0123456789", Map.of("grant_type", "client_credentials")),
                401, "invalid_client");
        assertToken(ClientCalls.form(issuer, "/token", Map.of("grant_type", "client_credentials", "client_id", "posty",
                "client_secret", "posty-secret-0123456789")));
    }

    @Test
    void tokenWhenAssertionAndSecretTogetherThenInvalidRequest() {
        assertOAuthError(token(inline(b -> {}), Map.of("client_secret", "secretive-secret-0123456789")), 400, "invalid_request");
    }
}
