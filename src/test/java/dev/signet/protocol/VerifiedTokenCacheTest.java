package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16: the verified-token cache at /userinfo and /introspect saves the signature check of a
 * token seen before, and nothing else. Each test first shows the token is answered from the cache
 * (the hit counter moves), then that the cache does not change the answer: a revoked token, an
 * expired one, another tenant's, and one verified before a key rotation are refused or re-verified
 * as without a cache; and the cache stays within {@code server.verified_token_cache}.
 */
class VerifiedTokenCacheTest {

    static final int CAPACITY = 8;
    static final URI CB = URI.create("http://localhost:9/cb");
    static final String SECRET = "same-secret-in-both-0123456789";
    static final String CONFIG = SignetHarness.server().replace("server:\n", "server:\n  verified_token_cache: " + CAPACITY + "\n") + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: same-secret-in-both-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    grant_types: [authorization_code, refresh_token, client_credentials]
                connections:
                  - id: dev
                    kind: dev-unsafe
              - name: acme
                issuer: "http://acme.test:${PORT}"
                clients:
                  - id: app
                    secret: same-secret-in-both-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    grant_types: [authorization_code, refresh_token, client_credentials]
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
        issuerB = URI.create("http://acme.test:" + issuerA.getPort());
        appA = new RelyingParty(issuerA, "app", Optional.of(SECRET), CB);
        appB = new RelyingParty(issuerB, "app", Optional.of(SECRET), CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static JsonNode signIn(String email) {
        RelyingParty.Authorization a = appA.authorize("openid email offline_access", Map.of());
        HttpResponse<String> r = appA.exchange(DevSignIn.code(a.url(), email).get("code"), a.verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    static String clientCredentialsToken(RelyingParty app) {
        HttpResponse<String> r = app.token(Map.of("grant_type", "client_credentials"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r).path("access_token").asString();
    }

    static JsonNode introspect(URI issuer, String token) {
        HttpResponse<String> r = ClientCalls.basic(issuer, "/introspect", "app", SECRET, Map.of("token", token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    static double metric(String name, String labels) {
        String text = new Browser().get(signet.management("/metrics")).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.E+-]+)$").matcher(text);
        while (m.find()) {
            if (labels.isEmpty() || (m.group(1) != null && m.group(1).contains(labels))) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new AssertionError("no metric " + name + " " + labels + " in:\n" + text);
    }

    static double hits() {
        return metric("signet_verified_tokens_lookups_total", "result=\"hit\"");
    }

    static double misses() {
        return metric("signet_verified_tokens_lookups_total", "result=\"miss\"");
    }

    /** Uses the token at /userinfo twice and asserts that the second use was answered from the cache. */
    static void cachedAtUserinfo(String at) {
        assertThat(appA.userinfo(at).statusCode()).isEqualTo(200);
        double before = hits();
        assertThat(appA.userinfo(at).statusCode()).isEqualTo(200);
        assertThat(hits()).as("second use answered from the cache").isEqualTo(before + 1);
    }

    @Test
    void userinfoWhenCachedTokenRevokedByJtiThenRefusedAtOnce() {
        JsonNode t = signIn("cache-revoked-jti@example.com");
        String at = t.path("access_token").asString();
        cachedAtUserinfo(at);

        HttpResponse<String> revoked = ClientCalls.basic(issuerA, "/revoke", "app", SECRET,
                Map.of("token", at, "token_type_hint", "access_token"));
        assertThat(revoked.statusCode()).isEqualTo(200);

        assertOAuthError(appA.userinfo(at), 401, "invalid_token");
        assertThat(introspect(issuerA, at).path("active").asBoolean()).isFalse();
    }

    @Test
    void userinfoWhenCachedTokensGrantRevokedThenRefusedAtOnce() {
        JsonNode t = signIn("cache-revoked-family@example.com");
        String at = t.path("access_token").asString();
        cachedAtUserinfo(at);
        assertThat(introspect(issuerA, at).path("active").asBoolean()).isTrue();

        // revoking the refresh token revokes the grant (RFC 7009 §2.1), and so its access tokens
        HttpResponse<String> revoked = ClientCalls.basic(issuerA, "/revoke", "app", SECRET,
                Map.of("token", t.path("refresh_token").asString(), "token_type_hint", "refresh_token"));
        assertThat(revoked.statusCode()).isEqualTo(200);

        assertOAuthError(appA.userinfo(at), 401, "invalid_token");
        assertThat(introspect(issuerA, at).path("active").asBoolean()).isFalse();
    }

    @Test
    void introspectWhenCachedTokenOfTenantAAtTenantBThenInactive() {
        // same client id and secret in both tenants, a token without a grant: only the key check keeps A's token out of B
        String at = clientCredentialsToken(appA);
        assertThat(introspect(issuerA, at).path("active").asBoolean()).isTrue();
        double before = hits();
        assertThat(introspect(issuerA, at).path("active").asBoolean()).isTrue();
        assertThat(hits()).as("second use answered from the cache").isEqualTo(before + 1);

        assertThat(introspect(issuerB, at).path("active").asBoolean()).isFalse();
        // and the other way round
        String atB = clientCredentialsToken(appB);
        assertThat(introspect(issuerB, atB).path("active").asBoolean()).isTrue();
        assertThat(introspect(issuerA, atB).path("active").asBoolean()).isFalse();
    }

    @Test
    void userinfoWhenCachedUserTokenOfTenantAAtTenantBThenInvalidToken() {
        String at = signIn("cache-other-tenant@example.com").path("access_token").asString();
        cachedAtUserinfo(at);

        assertOAuthError(appB.userinfo(at), 401, "invalid_token");
    }

    @Test
    void userinfoWhenCachedTokenExpiredThenInvalidToken() {
        String at = signIn("cache-expired@example.com").path("access_token").asString();
        cachedAtUserinfo(at);

        // access_token_ttl 10m (default) plus server.clock_skew 5s (default), and a second
        signet.clock.advance(Duration.ofMinutes(10).plusSeconds(6));

        assertOAuthError(appA.userinfo(at), 401, "invalid_token");
        assertThat(introspect(issuerA, at).path("active").asBoolean()).isFalse();
    }

    @Test
    void userinfoWhenKeysRotatedThenCachedTokenVerifiedAgainAndStillValid() {
        String at = signIn("cache-rotation@example.com").path("access_token").asString();
        cachedAtUserinfo(at);

        signet.app().rotateKeys(Optional.of("default"), true);

        double hitsBefore = hits();
        double missesBefore = misses();
        assertThat(appA.userinfo(at).statusCode()).isEqualTo(200); // its key is still published
        assertThat(misses()).as("verified again after the rotation").isEqualTo(missesBefore + 1);
        assertThat(hits()).isEqualTo(hitsBefore);
        assertThat(appA.userinfo(at).statusCode()).isEqualTo(200);
        assertThat(hits()).as("and cached again").isEqualTo(hitsBefore + 1);
    }

    @Test
    void introspectWhenMoreTokensThanCapacityThenCacheBoundedAndEvictedTokensStillVerify() {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 3 * CAPACITY; i++) {
            String at = clientCredentialsToken(appA);
            tokens.add(at);
            assertThat(introspect(issuerA, at).path("active").asBoolean()).isTrue();
        }

        double cached = metric("signet_verified_tokens_cached", "");
        assertThat(cached).isGreaterThan(0).isLessThanOrEqualTo(CAPACITY);
        for (String at : tokens) {
            assertThat(introspect(issuerA, at).path("active").asBoolean()).isTrue();
        }
        assertThat(metric("signet_verified_tokens_cached", "")).isLessThanOrEqualTo(CAPACITY);
    }
}
