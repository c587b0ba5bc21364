package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertOAuthError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.store.AuditStore;
import dev.signet.store.StoredEvent;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The refusals of the refresh token grant (RFC 6749 §6, RFC 9700 §4.14.2) and of refresh token
 * issuance at the code exchange (OIDC Core §11), each found deletable without a failing test by
 * mutation testing (issue 18): the token is bound to its client, expires, cannot widen the scope,
 * and its rotated successor is usable; only {@code offline_access} yields a refresh token; and the
 * {@code tokens.issued} / {@code tokens.revoked} events reach the audit log.
 *
 * <p>What happens to a refresh token after a refused request is deliberately not asserted here.
 * Tests that move the clock move it back (the relying party checks JWTs against the wall clock).
 */
class RefreshGuardsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static SignetHarness signet;
    static RelyingParty app;
    static RelyingParty other;
    static RelyingParty codeOnly;

    static final URI CB = URI.create("http://localhost:9/cb");
    static final Duration REFRESH_TTL = Duration.ofHours(1);

    static final String CONFIG = SignetHarness.server() + """
            events:
              relay: {poll: 50ms}
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    refresh_token_ttl: 1h
                    refresh_id_token: true   # the narrowed scope's ID token is checked too
                  - id: other
                    secret: other-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                  - id: code-only
                    secret: code-only-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    grant_types: [authorization_code]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), CB);
        other = new RelyingParty(signet, "other", Optional.of("other-secret-0123456789"), CB);
        codeOnly = new RelyingParty(signet, "code-only", Optional.of("code-only-secret-0123456789"), CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    /** A fresh sign-in of {@code email} for {@code rp} with {@code scope}; the token response (200 asserted). */
    static JsonNode tokens(RelyingParty rp, String scope, String email) {
        RelyingParty.Authorization a = rp.authorize(scope, Map.of());
        HttpResponse<String> r = rp.exchange(DevSignIn.code(a.url(), email).get("code"), a.verifier());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    static String refreshToken(String email) {
        String rt = tokens(app, "openid email offline_access", email).path("refresh_token").asString();
        assertThat(rt).isNotEmpty();
        return rt;
    }

    static JsonNode ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    static String scopeClaim(String accessToken) throws Exception {
        return SignedJWT.parse(accessToken).getJWTClaimsSet().getStringClaim("scope");
    }

    // ---- the refresh token is bound to the client it was issued to (RFC 6749 §6, §10.4)

    @Test
    void refreshWhenTokenIssuedToAnotherClientThenInvalidGrant() {
        String rt = refreshToken("bound@example.com");
        assertOAuthError(other.refresh(rt), 400, "invalid_grant");
    }

    // ---- expiry (refresh_token_ttl)

    @Test
    void refreshWhenTokenReachesItsExpiryThenInvalidGrantAndJustBeforeThenTokens() {
        // the store keeps milliseconds: issue on a whole second so that expires_at is exactly issue time + ttl
        Instant now = signet.clock.instant();
        Duration align = Duration.between(now, now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
        signet.clock.advance(align);
        Duration moved = align;
        try {
            String early = refreshToken("expiry.before@example.com");
            String late = refreshToken("expiry.at@example.com");
            Duration almost = REFRESH_TTL.minusSeconds(1);
            signet.clock.advance(almost);
            moved = align.plus(almost);
            assertThat(ok(app.refresh(early)).path("refresh_token").asString()).isNotEmpty();
            signet.clock.advance(Duration.ofSeconds(1));
            moved = align.plus(REFRESH_TTL);
            // the clock is frozen: this is exactly expires_at, which is already too late
            assertOAuthError(app.refresh(late), 400, "invalid_grant");
        } finally {
            signet.clock.advance(moved.negated());
        }
    }

    // ---- scope on a refresh (RFC 6749 §6: no scope not originally granted; a narrower one is fine)

    @Test
    void refreshWhenScopeExceedsTheGrantThenInvalidScope() {
        String rt = refreshToken("escalate@example.com");
        HttpResponse<String> r = app.token(Map.of("grant_type", "refresh_token", "refresh_token", rt,
                "scope", "openid email profile offline_access"));
        assertOAuthError(r, 400, "invalid_scope");
    }

    @Test
    void refreshWhenScopeNarrowedThenTokensCarryOnlyTheNarrowedScope() throws Exception {
        String rt = refreshToken("narrow@example.com");
        JsonNode t = ok(app.token(Map.of("grant_type", "refresh_token", "refresh_token", rt, "scope", "openid")));
        assertThat(t.path("scope").asString()).isEqualTo("openid");
        assertThat(scopeClaim(t.path("access_token").asString())).isEqualTo("openid");
        JsonNode idClaims = JSON.readTree(SignedJWT.parse(t.path("id_token").asString()).getPayload().toString());
        assertThat(idClaims.has("email")).as("no email claim without the email scope: " + idClaims).isFalse();
    }

    @Test
    void refreshWithoutScopeThenTheWholeOriginalScope() throws Exception {
        String rt = refreshToken("same.scope@example.com");
        JsonNode t = ok(app.refresh(rt));
        assertThat(t.path("scope").asString()).isEqualTo("openid email offline_access");
        assertThat(scopeClaim(t.path("access_token").asString())).isEqualTo("openid email offline_access");
    }

    // ---- rotation (RFC 9700 §4.14.2): the new token is stored and usable, and rotates in turn

    @Test
    void refreshWhenRotatedTokenUsedThenTokensAndAnotherRotation() {
        String first = refreshToken("rotate@example.com");
        String second = ok(app.refresh(first)).path("refresh_token").asString();
        assertThat(second).isNotEmpty().isNotEqualTo(first);
        String third = ok(app.refresh(second)).path("refresh_token").asString();
        assertThat(third).isNotEmpty().isNotEqualTo(second).isNotEqualTo(first);
        assertThat(ok(app.refresh(third)).path("access_token").asString()).isNotEmpty();
    }

    @Test
    void refreshWhenRotatedTokenPresentedAgainThenTheWholeFamilyIsRevoked() {
        String first = refreshToken("reuse.family@example.com");
        JsonNode rotated = ok(app.refresh(first));
        String second = rotated.path("refresh_token").asString();
        assertThat(app.userinfo(rotated.path("access_token").asString()).statusCode()).isEqualTo(200);
        assertOAuthError(app.refresh(first), 400, "invalid_grant");
        // RFC 9700 §4.14.2: the legitimate holder's current token and its access token die with the family
        assertOAuthError(app.refresh(second), 400, "invalid_grant");
        assertThat(app.userinfo(rotated.path("access_token").asString()).statusCode()).isEqualTo(401);
    }

    // ---- the code exchange issues a refresh token only for offline_access (OIDC Core §11)

    @Test
    void exchangeWhenNoOfflineAccessThenNoRefreshToken() {
        JsonNode t = tokens(app, "openid email", "online@example.com");
        assertThat(t.path("access_token").asString()).isNotEmpty();
        assertThat(t.has("refresh_token")).as(t.toString()).isFalse();
    }

    @Test
    void exchangeWhenOfflineAccessButClientMayNotRefreshThenNoRefreshToken() {
        JsonNode t = tokens(codeOnly, "openid offline_access", "code.only@example.com");
        assertThat(t.path("access_token").asString()).isNotEmpty();
        assertThat(t.has("refresh_token")).as(t.toString()).isFalse();
    }

    // ---- events: tokens.issued and tokens.revoked from both grants reach the audit log

    @Test
    void grantsWhenTokensIssuedAndFamiliesRevokedThenEventsInTheAuditLog() throws Exception {
        RelyingParty.Authorization a = app.authorize("openid email offline_access", Map.of());
        String code = DevSignIn.code(a.url(), "events@example.com").get("code");
        JsonNode t = ok(app.exchange(code, a.verifier()));
        String user = SignedJWT.parse(t.path("id_token").asString()).getJWTClaimsSet().getSubject();
        String first = t.path("refresh_token").asString();
        ok(app.refresh(first));
        assertOAuthError(app.refresh(first), 400, "invalid_grant"); // reuse of a rotated token revokes the family
        assertOAuthError(app.exchange(code, a.verifier()), 400, "invalid_grant"); // so does reuse of the code

        var byUser = new AuditStore.Query(Optional.empty(), Optional.of(user), Optional.empty(), Optional.empty(), Optional.empty(), 50);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            signet.wakeRelay();
            List<StoredEvent> events = signet.events().audit(byUser);
            assertThat(events).filteredOn(e -> e.type().equals("tokens.issued")).extracting(e -> grantType(e))
                    .containsExactlyInAnyOrder("authorization_code", "refresh_token");
            assertThat(events).filteredOn(e -> e.type().equals("tokens.revoked")).extracting(e -> why(e))
                    .containsExactlyInAnyOrder("refresh_token_reused", "authorization_code_reused");
            assertThat(events).filteredOn(e -> e.type().startsWith("tokens."))
                    .allSatisfy(e -> assertThat(JSON.readTree(e.data()).path("client_id").asString()).isEqualTo("app"));
        });
    }

    static String grantType(StoredEvent e) {
        return JSON.readTree(e.data()).path("grant_type").asString();
    }

    static String why(StoredEvent e) {
        return JSON.readTree(e.data()).path("why").asString();
    }
}
