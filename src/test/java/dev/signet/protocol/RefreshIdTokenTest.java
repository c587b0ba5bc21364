package dev.signet.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16: whether a refresh re-issues an ID token is the client's {@code refresh_id_token} (OIDC
 * Core §12.2: the response "might not contain an id_token"). Default false: the access and refresh
 * tokens only, saving the ID token's signature; a client with true gets a new ID token about the same
 * user and client.
 */
class RefreshIdTokenTest {

    static final URI CB = URI.create("http://localhost:9/cb");
    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    refresh_id_token: true
                  - id: lean
                    secret: lean-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    static SignetHarness signet;
    static RelyingParty app;
    static RelyingParty lean;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), CB);
        lean = new RelyingParty(signet, "lean", Optional.of("lean-secret-0123456789"), CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static JsonNode signIn(RelyingParty rp, String email) {
        RelyingParty.Authorization a = rp.authorize("openid email offline_access", Map.of());
        HttpResponse<String> r = rp.exchange(DevSignIn.code(a.url(), email).get("code"), a.verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    static JsonNode refresh(RelyingParty rp, JsonNode tokens) {
        HttpResponse<String> r = rp.refresh(tokens.path("refresh_token").asString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    @Test
    void refreshWhenRefreshIdTokenTrueThenNewIdTokenAboutTheSameUserAndClient() throws Exception {
        JsonNode first = signIn(app, "refresh-id-on@example.com");
        JsonNode next = refresh(app, first);

        assertThat(next.has("id_token")).as(next.toString()).isTrue();
        JWTClaimsSet before = SignedJWT.parse(first.path("id_token").asString()).getJWTClaimsSet();
        JWTClaimsSet after = SignedJWT.parse(next.path("id_token").asString()).getJWTClaimsSet();
        // OIDC Core §12.2: same iss, sub and aud as the first ID token
        assertThat(after.getIssuer()).isEqualTo(before.getIssuer());
        assertThat(after.getSubject()).isEqualTo(before.getSubject());
        assertThat(after.getAudience()).isEqualTo(before.getAudience());
    }

    @Test
    void refreshWhenDefaultThenNoIdTokenButUsableAccessAndRefreshTokens() {
        JsonNode first = signIn(lean, "refresh-id-default@example.com");
        assertThat(first.has("id_token")).as("the code exchange still answers with an ID token").isTrue();

        JsonNode next = refresh(lean, first);

        assertThat(next.has("id_token")).as(next.toString()).isFalse();
        assertThat(next.path("scope").asString()).contains("openid");
        HttpResponse<String> userinfo = lean.userinfo(next.path("access_token").asString());
        assertThat(userinfo.statusCode()).isEqualTo(200);
        assertThat(RelyingParty.json(userinfo).path("email").asString()).isEqualTo("refresh-id-default@example.com");
        assertThat(refresh(lean, next).has("refresh_token")).isTrue();
    }

    @Test
    void parseWhenRefreshIdTokenNotABooleanThenProblemWithItsPath() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Signet.configLoader(Map.of()).parse("""
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                        refresh_id_token: sometimes
                    connections: [{id: dev, kind: dev-unsafe}]
                """, "test.yaml"));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.toString())
                .contains("tenants[0].clients[0].refresh_id_token").contains("true or false"));
    }
}
