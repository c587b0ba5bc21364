package dev.signet.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationRequest;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationResponse;
import com.nimbusds.oauth2.sdk.device.DeviceAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.TypelessAccessToken;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A relying party and a resource server written with the Nimbus OAuth 2.0 SDK, as an application
 * would use it against the running server: discovery (every issue 14 member parsed by Nimbus),
 * {@link TokenIntrospectionRequest}, {@link TokenRevocationRequest}, {@link PrivateKeyJWT} at the
 * token and introspection endpoints, and {@link DeviceAuthorizationRequest}.
 */
class NimbusRelyingPartyTest {

    static final URI CB = URI.create("http://localhost:9/cb");
    static RSAKey key;
    static SignetHarness signet;
    static OIDCProviderMetadata op;

    @BeforeAll
    static void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("backend-1").generate();
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                        token_endpoint_auth_method: client_secret_basic
                      - id: backend
                        token_endpoint_auth_method: private_key_jwt
                        jwks: ${BACKEND_JWKS}
                        grant_types: [client_credentials, urn:ietf:params:oauth:grant-type:device_code]
                        introspection: {audiences: [app]}
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """, Map.of("BACKEND_JWKS", new JWKSet(key.toPublicJWK()).toString(true)));
        op = OIDCProviderMetadata.resolve(new Issuer(signet.issuer()));
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    /** Nimbus's private_key_jwt, timed on Signet's (frozen) clock so that a slow machine cannot make it look early or late. */
    static PrivateKeyJWT assertion(URI aud) throws Exception {
        Instant now = signet.clock.instant();
        JWTAuthenticationClaimsSet claims = new JWTAuthenticationClaimsSet(new ClientID("backend"), List.of(new Audience(aud)),
                Date.from(now.plusSeconds(120)), null, Date.from(now), new JWTID());
        return new PrivateKeyJWT(claims, JWSAlgorithm.RS256, key.toPrivateKey(), key.getKeyID(), null);
    }

    static JsonNode signIn(String email) {
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), CB);
        RelyingParty.Authorization a = app.authorize("openid email offline_access", Map.of());
        HttpResponse<String> r = app.exchange(DevSignIn.code(a.url(), email).get("code"), a.verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    @Test
    void discoveryWhenParsedByNimbusThenAdvertisesIssue14Endpoints() {
        assertThat(op.getIntrospectionEndpointURI()).isEqualTo(signet.url("/introspect"));
        assertThat(op.getRevocationEndpointURI()).isEqualTo(signet.url("/revoke"));
        assertThat(op.getDeviceAuthorizationEndpointURI()).isEqualTo(signet.url("/device_authorization"));
        assertThat(op.getGrantTypes()).contains(GrantType.DEVICE_CODE, GrantType.AUTHORIZATION_CODE);
        assertThat(op.getTokenEndpointAuthMethods()).extracting(Object::toString)
                .containsExactly("client_secret_basic", "client_secret_post", "private_key_jwt", "none");
        assertThat(op.getIntrospectionEndpointAuthMethods()).extracting(Object::toString).doesNotContain("none").contains("private_key_jwt");
        assertThat(op.getRevocationEndpointAuthMethods()).extracting(Object::toString).contains("none");
        assertThat(op.getTokenEndpointJWSAlgs()).contains(JWSAlgorithm.RS256, JWSAlgorithm.ES256).doesNotContain(JWSAlgorithm.HS256);
    }

    @Test
    void resourceServerWhenIntrospectingWithPrivateKeyJwtThenActiveUntilAppRevokesWithClientSecretBasic() throws Exception {
        JsonNode t = signIn("nimbus@example.com");
        AccessToken at = new TypelessAccessToken(t.path("access_token").asString());

        TokenIntrospectionResponse before = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                op.getIntrospectionEndpointURI(), assertion(op.getIntrospectionEndpointURI()), at).toHTTPRequest().send());
        assertThat(before.indicatesSuccess()).isTrue();
        TokenIntrospectionSuccessResponse ok = before.toSuccessResponse();
        assertThat(ok.isActive()).isTrue();
        assertThat(ok.getClientID()).isEqualTo(new ClientID("app"));
        assertThat(ok.getScope().toStringList()).contains("openid", "email");

        ClientSecretBasic app = new ClientSecretBasic(new ClientID("app"), new Secret("app-secret-0123456789"));
        HTTPResponse revoked = new TokenRevocationRequest(op.getRevocationEndpointURI(), app, at).toHTTPRequest().send();
        assertThat(revoked.getStatusCode()).isEqualTo(200);

        TokenIntrospectionSuccessResponse after = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                op.getIntrospectionEndpointURI(), assertion(op.getIntrospectionEndpointURI()), at).toHTTPRequest().send()).toSuccessResponse();
        assertThat(after.isActive()).isFalse();

        // the refresh token, revoked by Nimbus with its hint: the family is gone
        RefreshToken rt = new RefreshToken(t.path("refresh_token").asString());
        assertThat(new TokenRevocationRequest(op.getRevocationEndpointURI(), app, rt).toHTTPRequest().send().getStatusCode()).isEqualTo(200);
        TokenIntrospectionSuccessResponse refresh = TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
                op.getIntrospectionEndpointURI(), app, rt).toHTTPRequest().send()).toSuccessResponse();
        assertThat(refresh.isActive()).isFalse();
    }

    @Test
    void backendWhenClientCredentialsWithPrivateKeyJwtThenTokenAndReplayRefused() throws Exception {
        PrivateKeyJWT once = assertion(op.getTokenEndpointURI());
        TokenResponse first = TokenResponse.parse(new TokenRequest(op.getTokenEndpointURI(), once, new ClientCredentialsGrant())
                .toHTTPRequest().send());
        assertThat(first.indicatesSuccess()).as(String.valueOf(first)).isTrue();
        AccessTokenResponse success = first.toSuccessResponse();
        JWTClaimsSet claims = new RelyingParty(signet, "backend", Optional.empty(), CB)
                .verifyAccessToken(success.getTokens().getAccessToken().getValue());
        assertThat(claims.getSubject()).isEqualTo("backend");

        TokenResponse replay = TokenResponse.parse(new TokenRequest(op.getTokenEndpointURI(), once, new ClientCredentialsGrant())
                .toHTTPRequest().send());
        assertThat(replay.indicatesSuccess()).isFalse();
        TokenErrorResponse error = replay.toErrorResponse();
        assertThat(error.getErrorObject().getCode()).isEqualTo("invalid_client");
        assertThat(error.getErrorObject().getHTTPStatusCode()).isEqualTo(401);
    }

    @Test
    void deviceWhenNimbusAsksForAuthorizationThenUserCodeAndVerificationUris() throws Exception {
        DeviceAuthorizationResponse r = DeviceAuthorizationResponse.parse(new DeviceAuthorizationRequest.Builder(
                assertion(op.getDeviceAuthorizationEndpointURI())).endpointURI(op.getDeviceAuthorizationEndpointURI()).build()
                .toHTTPRequest().send());
        assertThat(r.indicatesSuccess()).as(String.valueOf(r)).isTrue();
        DeviceAuthorizationSuccessResponse d = r.toSuccessResponse();
        assertThat(d.getUserCode().getValue()).matches("[A-Z]{4}-[A-Z]{4}");
        assertThat(d.getVerificationURI()).isEqualTo(signet.url("/device"));
        assertThat(d.getInterval()).isEqualTo(5);
    }
}
