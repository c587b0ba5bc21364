package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint's shared steps (RFC 6749 §2.3, §3.2, §4.4, §5.2): the request format, the
 * grant type, client authentication, and whether the client may use the grant.
 */
class TokenEndpointRfc6749Test {

    static SignetHarness signet;

    static final URI CB = URI.create("http://localhost:9/cb");
    static final String SERVICE_SECRET = "service-secret-0123456789";
    static final String APP_SECRET = "app-secret-0123456789";

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: service
                    secret: service-secret-0123456789
                    grant_types: [client_credentials]
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                  - id: spa
                    public: true
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static RelyingParty basic(String id, String secret) {
        return new RelyingParty(signet, id, Optional.of(secret), CB);
    }

    /** Sends no Authorization header; client_id goes in the form, client_secret only if the form has it. */
    static RelyingParty post(String id) {
        return new RelyingParty(signet, id, Optional.empty(), CB);
    }

    static HttpResponse<String> raw(String contentType, String body, Optional<String> authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(signet.url("/token")).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        authorization.ifPresent(a -> b.header("Authorization", a));
        return new Browser().send(b);
    }

    static String basicHeader(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    // ---- client authentication (RFC 6749 §2.3.1, §5.2)

    @Test
    void tokenWhenClientSecretWrongThenUnauthorizedInvalidClientWithBasicChallenge() {
        HttpResponse<String> r = basic("service", "wrong-secret-0123456789").token(Map.of("grant_type", "client_credentials"));
        assertOAuthError(r, 401, "invalid_client");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));
    }

    @Test
    void tokenWhenClientSecretWrongInFormThenUnauthorizedInvalidClient() {
        HttpResponse<String> r = post("service").token(Map.of("grant_type", "client_credentials", "client_secret", "wrong-secret-0123456789"));
        assertOAuthError(r, 401, "invalid_client");
    }

    @Test
    void tokenWhenClientUnknownThenUnauthorizedInvalidClient() {
        HttpResponse<String> r = basic("nobody", SERVICE_SECRET).token(Map.of("grant_type", "client_credentials"));
        assertOAuthError(r, 401, "invalid_client");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(h -> assertThat(h).startsWith("Basic"));
    }

    @Test
    void tokenWhenNoClientAuthenticationThenUnauthorizedInvalidClient() {
        HttpResponse<String> r = raw("application/x-www-form-urlencoded", "grant_type=client_credentials", Optional.empty());
        assertOAuthError(r, 401, "invalid_client");
    }

    @Test
    void tokenWhenConfidentialClientSendsNoSecretThenUnauthorizedInvalidClient() {
        HttpResponse<String> r = post("service").token(Map.of("grant_type", "client_credentials"));
        assertOAuthError(r, 401, "invalid_client");
    }

    @Test
    void tokenWhenBasicHeaderMalformedThenUnauthorizedInvalidClient() {
        HttpResponse<String> r = raw("application/x-www-form-urlencoded", "grant_type=client_credentials", Optional.of("Basic !!!not-base64"));
        assertOAuthError(r, 401, "invalid_client");
    }

    @Test
    void tokenWhenBasicAndClientSecretInBodyThenInvalidRequest() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of("grant_type", "client_credentials", "client_secret", SERVICE_SECRET));
        assertOAuthError(r, 400, "invalid_request");
    }

    @Test
    void tokenWhenBasicAndDifferentClientIdInBodyThenUnauthorizedInvalidClient() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of("grant_type", "client_credentials", "client_id", "app"));
        assertOAuthError(r, 401, "invalid_client");
    }

    @Test
    void tokenWhenBasicAndTheSameClientIdInBodyThenAccessToken() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of("grant_type", "client_credentials", "client_id", "service"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void tokenWhenBasicHeaderMalformedNextToValidFormCredentialsThenUnauthorizedInvalidClient() {
        String form = "grant_type=client_credentials&client_id=service&client_secret=" + SERVICE_SECRET;
        // a Basic header that is there but unreadable is a failed authentication, not an absent one
        for (String header : new String[] {"Basic !!!not-base64", "basic " + Base64.getEncoder().encodeToString(
                "service-without-colon".getBytes(StandardCharsets.UTF_8))}) {
            assertOAuthError(raw("application/x-www-form-urlencoded", form, Optional.of(header)), 401, "invalid_client");
        }
        // the same form credentials without the header are good
        HttpResponse<String> ok = raw("application/x-www-form-urlencoded", form, Optional.empty());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void tokenWhenPublicClientSendsSecretThenUnauthorizedInvalidClient() {
        HttpResponse<String> r = post("spa").token(Map.of("grant_type", "refresh_token", "refresh_token", "x", "client_secret", "anything-0123456789"));
        assertOAuthError(r, 401, "invalid_client");
    }

    @Test
    void tokenWhenClientSecretPostThenAccessToken() {
        HttpResponse<String> r = post("service").token(Map.of("grant_type", "client_credentials", "client_secret", SERVICE_SECRET));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RelyingParty.json(r).path("token_type").asString()).isEqualTo("Bearer");
        assertThat(RelyingParty.json(r).path("access_token").asString()).isNotEmpty();
    }

    @Test
    void tokenWhenClientSecretBasicThenAccessToken() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of("grant_type", "client_credentials"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RelyingParty.json(r).path("access_token").asString()).isNotEmpty();
    }

    // ---- grant type and whether the client may use it

    @Test
    void tokenWhenGrantTypeUnknownThenUnsupportedGrantType() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of("grant_type", "password", "username", "a", "password", "b"));
        assertOAuthError(r, 400, "unsupported_grant_type");
    }

    @Test
    void tokenWhenWrongSecretAndUnknownGrantTypeThenInvalidClientFirst() {
        HttpResponse<String> r = basic("service", "wrong-secret-0123456789").token(Map.of("grant_type", "password"));
        assertOAuthError(r, 401, "invalid_client");
    }

    @Test
    void tokenWhenGrantTypeImplicitThenUnsupportedGrantType() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of("grant_type", "implicit"));
        assertOAuthError(r, 400, "unsupported_grant_type");
    }

    @Test
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of());
        assertOAuthError(r, 400, "invalid_request");
    }

    @Test
    void tokenWhenGrantTypeRepeatedThenInvalidRequest() {
        HttpResponse<String> r = raw("application/x-www-form-urlencoded", "grant_type=client_credentials&grant_type=client_credentials",
                Optional.of(basicHeader("service", SERVICE_SECRET)));
        assertOAuthError(r, 400, "invalid_request");
    }

    @Test
    void tokenWhenBodyIsJsonThenInvalidRequest() {
        HttpResponse<String> r = raw("application/json", "{\"grant_type\":\"client_credentials\"}",
                Optional.of(basicHeader("service", SERVICE_SECRET)));
        assertOAuthError(r, 400, "invalid_request");
    }

    @Test
    void tokenWhenBodyHasNoContentTypeThenInvalidRequest() {
        HttpRequest.Builder b = HttpRequest.newBuilder(signet.url("/token")).header("Authorization", basicHeader("service", SERVICE_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"));
        assertOAuthError(new Browser().send(b), 400, "invalid_request");
    }

    @Test
    void tokenWhenConfidentialClientNotAllowedClientCredentialsThenUnauthorizedClient() {
        HttpResponse<String> r = basic("app", APP_SECRET).token(Map.of("grant_type", "client_credentials"));
        assertOAuthError(r, 400, "unauthorized_client");
    }

    @Test
    void tokenWhenPublicClientAsksClientCredentialsThenUnauthorizedClient() {
        HttpResponse<String> r = post("spa").token(Map.of("grant_type", "client_credentials"));
        assertOAuthError(r, 400, "unauthorized_client");
    }

    @Test
    void tokenWhenClientNotAllowedAuthorizationCodeThenUnauthorizedClient() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of("grant_type", "authorization_code", "code", "x",
                "redirect_uri", CB.toString()));
        assertOAuthError(r, 400, "unauthorized_client");
    }

    @Test
    void tokenWhenClientCredentialsWithUserScopeThenInvalidScope() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of("grant_type", "client_credentials", "scope", "openid"));
        assertOAuthError(r, 400, "invalid_scope");
    }

    @Test
    void tokenWhenRefreshTokenUnknownThenInvalidGrant() {
        HttpResponse<String> r = basic("app", APP_SECRET).token(Map.of("grant_type", "refresh_token", "refresh_token", RelyingParty.random()));
        assertOAuthError(r, 400, "invalid_grant");
    }

    @Test
    void tokenWhenRefreshTokenMissingThenInvalidRequest() {
        HttpResponse<String> r = basic("app", APP_SECRET).token(Map.of("grant_type", "refresh_token"));
        assertOAuthError(r, 400, "invalid_request");
    }

    @Test
    void tokenWhenErrorThenResponseIsNotCached() {
        HttpResponse<String> r = basic("service", SERVICE_SECRET).token(Map.of("grant_type", "password"));
        assertOAuthError(r, 400, "unsupported_grant_type");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    }
}
