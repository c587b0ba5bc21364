package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Refreshing (RFC 6749 §6) with rotation and reuse detection (RFC 9700 §4.14.2). Issue 11, defect
 * 4: a refused refresh request changes nothing, so the client's retry with the same token is not
 * mistaken for reuse.
 */
class RefreshTokenRfc6749Test {

    static SignetHarness signet;
    static RelyingParty app;

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    refresh_id_token: true   # a refresh with openid answers with an ID token for the narrowed scope
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static String refreshToken(String scope, String email) {
        RelyingParty.Authorization a = app.authorize(scope, Map.of());
        HttpResponse<String> r = app.exchange(DevSignIn.code(a.url(), email).get("code"), a.verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r).path("refresh_token").asString();
    }

    static HttpResponse<String> refresh(String token, String scope) {
        return app.token(Map.of("grant_type", "refresh_token", "refresh_token", token, "scope", scope));
    }

    @Test
    void refreshWhenScopeEscalationRefusedThenSameTokenStillWorksOnce() {
        String token = refreshToken("openid email offline_access", "escalation@example.com");

        assertOAuthError(refresh(token, "openid email profile offline_access"), 400, "invalid_scope");

        HttpResponse<String> retry = app.refresh(token);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        String next = RelyingParty.json(retry).path("refresh_token").asString();
        // used exactly once: presenting it again is reuse, which revokes the family
        assertOAuthError(app.refresh(token), 400, "invalid_grant");
        assertOAuthError(app.refresh(next), 400, "invalid_grant");
    }

    @Test
    void refreshWhenNarrowerScopeThenTokensForThatScope() {
        String token = refreshToken("openid email offline_access", "narrower@example.com");

        HttpResponse<String> r = refresh(token, "openid");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(RelyingParty.json(r).path("scope").asString()).isEqualTo("openid");
        assertThat(RelyingParty.json(r).path("id_token").asString()).isNotEmpty();
    }

    /**
     * Issue 16 (the write path): one refresh token presented by eight requests at once rotates
     * exactly once; the other seven are reuse (RFC 9700 §4.14.2), which revokes the family, so the
     * winner's new refresh token is refused too.
     */
    @Test
    void refreshWhenSameTokenRedeemedConcurrentlyThenRotatedExactlyOnce() throws Exception {
        String token = refreshToken("openid email offline_access", "concurrent@example.com");
        int n = 8;
        var start = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return app.refresh(token);
                }));
            }
            start.countDown();
        }
        List<HttpResponse<String>> ok = new ArrayList<>();
        for (var f : futures) {
            HttpResponse<String> r = f.get();
            if (r.statusCode() == 200) {
                ok.add(r);
            } else {
                assertOAuthError(r, 400, "invalid_grant");
            }
        }
        assertThat(ok).as("rotations of one refresh token").hasSize(1);
        assertOAuthError(app.refresh(RelyingParty.json(ok.getFirst()).path("refresh_token").asString()), 400, "invalid_grant");
    }
}
