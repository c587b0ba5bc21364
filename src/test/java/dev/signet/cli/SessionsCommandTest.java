package dev.signet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.LogoutReceiver;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code signet sessions list|revoke} against the store of a running Signet (as a second process
 * would; SQLite WAL allows it): revoking ends the sessions at once (every node refuses the cookie),
 * revokes their grants (offline ones too: an operator's decision), forgets the user's consents with
 * {@code --user}, and the running server's relay delivers the back-channel logout tokens.
 */
class SessionsCommandTest {

    static final String SECRET = "app-secret-0123456789";
    static final URI CB = URI.create("http://localhost:9/cb");
    static final String YAML = SignetHarness.server() + """
            events:
              relay: {poll: 1s, backoff: 1s, max_backoff: 2s}
            tenants:
              - name: default
                custom_domains: ["http://127.0.0.1:${PORT}"]
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    backchannel_logout_uri: "${BCL}"
                  - id: third
                    name: Third
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                    consent: required
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    static LogoutReceiver receiver;
    static SignetHarness signet;
    static RelyingParty app;
    static RelyingParty third;
    static Map<String, String> env;
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        receiver = new LogoutReceiver();
        env = new HashMap<>(Map.of("BCL", receiver.url().toString()));
        signet = SignetHarness.start(YAML, env);
        app = new RelyingParty(signet, "app", Optional.of(SECRET), CB);
        third = new RelyingParty(signet, "third", Optional.of(SECRET), CB);
        // the CLI reads the same configuration file (same data directory) as the server
        env.put("PORT", String.valueOf(signet.issuer().getPort()));
        env.put("DATA", signet.dataDir().toString());
        config = Files.writeString(Files.createTempFile("signet-sessions", ".yaml"), YAML);
    }

    @AfterAll
    static void stop() throws Exception {
        signet.close();
        receiver.close();
        Files.deleteIfExists(config);
    }

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record SignedIn(Browser browser, JWTClaimsSet claims, Optional<String> refreshToken) {
        String sid() {
            return (String) claims.getClaim("sid");
        }

        String user() {
            return claims.getSubject();
        }
    }

    static SignedIn signIn(Browser b, String scope, String email) throws Exception {
        return signIn(app, b, scope, email);
    }

    static SignedIn signIn(RelyingParty rp, Browser b, String scope, String email) throws Exception {
        RelyingParty.Authorization a = rp.authorize(scope, Map.of());
        HttpResponse<String> first = b.get(a.url());
        URI back = first.statusCode() == 302 ? Browser.location(first) : DevSignIn.signIn(b, a.url(), email);
        HttpResponse<String> t = rp.exchange(Browser.query(back).get("code"), a.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        var json = RelyingParty.json(t);
        return new SignedIn(b, SignedJWT.parse(json.path("id_token").asString()).getJWTClaimsSet(),
                json.has("refresh_token") ? Optional.of(json.path("refresh_token").asString()) : Optional.empty());
    }

    static boolean signedInAtSignet(Browser b) {
        Map<String, String> q = Browser.query(Browser.location(b.get(app.authorize("openid", Map.of("prompt", "none")).url())));
        return q.containsKey("code");
    }

    @Test
    void listWhenUserHasTwoSessionsThenBothAsJsonLinesNewestFirst() throws Exception {
        SignedIn one = signIn(new Browser(), "openid", "list@example.com");
        signet.clock.advance(Duration.ofSeconds(1));
        SignedIn two = signIn(new Browser(), "openid", "list@example.com");

        Run r = run("sessions", "list", "--config", config.toString(), "--user", one.user());
        assertThat(r.status()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"session_id\":\"" + two.sid() + "\"").contains("\"user_id\":\"" + one.user() + "\"")
                .contains("\"connection\":\"dev\"");
        assertThat(lines.get(1)).contains("\"session_id\":\"" + one.sid() + "\"");
        assertThat(run("sessions", "list", "--config", config.toString()).out()).contains(one.sid(), two.sid());
    }

    /** Each line is written by a JSON writer: a stored value with a quote, a backslash or a newline stays one string. */
    @Test
    void listWhenStoredValuesNeedEscapingThenEachLineStillOneValidJsonObject() throws Exception {
        SignedIn s = signIn(new Browser(), "openid", "escaping@example.com");
        String odd = "dev\",\"injected\":\"x\\\n";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + signet.dataDir().resolve("signet.db"));
                java.sql.PreparedStatement st = c.prepareStatement("UPDATE sessions SET connection = ? WHERE id = ?")) {
            st.setString(1, odd);
            st.setString(2, s.sid());
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        Run r = run("sessions", "list", "--config", config.toString(), "--user", s.user());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).singleElement().satisfies(line -> {
            tools.jackson.databind.JsonNode j = tools.jackson.databind.json.JsonMapper.builder().build().readTree(line);
            assertThat(j.path("connection").asString()).isEqualTo(odd);
            assertThat(j.has("injected")).isFalse();
            assertThat(j.path("session_id").asString()).isEqualTo(s.sid());
            assertThat(j.path("user_id").asString()).isEqualTo(s.user());
        });
    }

    @Test
    void revokeSessionWhenRunningServerThenOnlyThatSessionEndsAndBackchannelTokenDelivered() throws Exception {
        SignedIn one = signIn(new Browser(), "openid", "revoke-one@example.com");
        SignedIn two = signIn(new Browser(), "openid", "revoke-one@example.com");
        int before = receiver.tokens.size();

        Run r = run("sessions", "revoke", "--config", config.toString(), "--session", one.sid());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("revoked 1 session(s); back-channel logout queued for 1 client(s) app");
        assertThat(signedInAtSignet(one.browser())).isFalse();
        assertThat(signedInAtSignet(two.browser())).isTrue();

        signet.wakeRelay();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.tokens.size() > before);
        JWTClaimsSet token = SignedJWT.parse(receiver.tokens.get(before)).getJWTClaimsSet();
        assertThat(token.getClaim("sid")).isEqualTo(one.sid());
        assertThat(token.getSubject()).isEqualTo(one.user());

        Run again = run("sessions", "revoke", "--config", config.toString(), "--session", one.sid());
        assertThat(again.status()).isZero();
        assertThat(again.out()).startsWith("revoked 0 session(s)");
    }

    @Test
    void revokeUserWhenRunningServerThenEverySessionEndsOfflineGrantsRevokedAndConsentForgotten() throws Exception {
        Browser b = new Browser();
        SignedIn s = signIn(b, "openid offline_access", "revoke-user@example.com");
        SignedIn elsewhere = signIn(new Browser(), "openid", "revoke-user@example.com");
        SignedIn bystander = signIn(new Browser(), "openid", "bystander@example.com");
        // consent given to the third-party app in this session
        HttpResponse<String> page = b.get(third.authorize("openid", Map.of()).url());
        Map<String, String> form = new java.util.LinkedHashMap<>(Browser.query(Browser.postedForm(page)));
        form.put("decision", "approve");
        assertThat(Browser.query(Browser.location(b.postForm(signet.url("/consent"), form)))).containsKey("code");

        Run r = run("sessions", "revoke", "--config", config.toString(), "--user", s.user());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("revoked 2 session(s)").contains("forgot 1 consent(s)");
        assertThat(signedInAtSignet(b)).isFalse();
        assertThat(signedInAtSignet(elsewhere.browser())).isFalse();
        assertThat(signedInAtSignet(bystander.browser())).isTrue();
        // an operator's revocation takes offline_access grants too
        assertThat(app.refresh(s.refreshToken().orElseThrow()).statusCode()).isEqualTo(400);

        // signed in again, the third-party app asks for consent again
        signIn(b, "openid", "revoke-user@example.com");
        assertThat(b.get(third.authorize("openid", Map.of()).url()).body()).contains("id=\"consent-form\"");
    }

    @Test
    void revokeWhenNeitherOrBothSelectorsOrUnknownTenantThenUsage() {
        Run neither = run("sessions", "revoke", "--config", config.toString());
        assertThat(neither.status()).isEqualTo(64);
        assertThat(neither.err()).contains("exactly one of --user or --session");
        assertThat(run("sessions", "revoke", "--config", config.toString(), "--user", "u", "--session", "s").status()).isEqualTo(64);
        Run tenant = run("sessions", "list", "--config", config.toString(), "--tenant", "nope");
        assertThat(tenant.status()).isEqualTo(64);
        assertThat(tenant.err()).contains("no tenant named 'nope'");
        assertThat(run("sessions").status()).isEqualTo(64);
    }

    @Test
    void helpWhenAskedThenDescribesCommandsAndOptions() {
        Run group = run("sessions", "--help");
        assertThat(group.status()).isZero();
        assertThat(group.out()).contains("list").contains("revoke");
        Run revoke = run("sessions", "revoke", "--help");
        assertThat(revoke.status()).isZero();
        assertThat(revoke.out()).contains("--user").contains("--session").contains("--tenant");
        assertThat(run("--help").out()).contains("signet sessions revoke");
    }

    /**
     * Back-Channel Logout 1.0 §2.4: an operator's revocation of a session signed in on a custom domain sends a
     * logout token under that domain's issuer, the one the application validates its ID tokens (and so its logout
     * tokens) against; the store records the custom domain beside the session. A session with none recorded (signed
     * in by an older version) gets the default domain's issuer.
     */
    @Test
    void revokeWhenSessionOnCustomDomainThenLogoutTokenIssuedUnderThatDomain() throws Exception {
        URI custom = URI.create("http://127.0.0.1:" + signet.issuer().getPort());
        RelyingParty onCustom = new RelyingParty(custom, "app", Optional.of(SECRET), CB);
        SignedIn s = signIn(onCustom, new Browser(), "openid", "revoke-custom@example.com");
        assertThat(s.claims().getIssuer()).isEqualTo(custom.toString());
        assertThat(run("sessions", "list", "--config", config.toString(), "--user", s.user()).out())
                .contains("\"issuer\":\"" + custom + "\"");
        SignedIn onDefault = signIn(new Browser(), "openid", "revoke-custom-default@example.com");
        assertThat(run("sessions", "list", "--config", config.toString(), "--user", onDefault.user()).out())
                .contains("\"issuer\":\"" + signet.issuer() + "\"");

        String token = revokedAndDelivered(s.sid());
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getIssuer()).isEqualTo(custom.toString());
        assertThat(validated(token, custom).getSessionID().getValue()).isEqualTo(s.sid());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> validated(token, signet.issuer()))
                .as("not under the default domain's issuer").isInstanceOf(com.nimbusds.jose.proc.BadJOSEException.class);

        SignedIn older = signIn(onCustom, new Browser(), "openid", "revoke-custom-older@example.com");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + signet.dataDir().resolve("signet.db"));
                java.sql.PreparedStatement st = c.prepareStatement("DELETE FROM session_domains WHERE session_id = ?")) {
            st.setString(1, older.sid());
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        assertThat(SignedJWT.parse(revokedAndDelivered(older.sid())).getJWTClaimsSet().getIssuer())
                .as("no domain recorded").isEqualTo(signet.issuer().toString());
        assertThat(SignedJWT.parse(revokedAndDelivered(onDefault.sid())).getJWTClaimsSet().getIssuer())
                .as("signed in on the default domain").isEqualTo(signet.issuer().toString());
    }

    /**
     * Revokes the session through the CLI and returns the logout token the running server's relay delivers for it
     * (found by its {@code sid}: another test's tokens may arrive meanwhile).
     */
    private static String revokedAndDelivered(String sid) {
        Run r = run("sessions", "revoke", "--config", config.toString(), "--session", sid);
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("revoked 1 session(s); back-channel logout queued for 1 client(s) app");
        signet.wakeRelay();
        return await().atMost(Duration.ofSeconds(30)).until(() -> List.copyOf(receiver.tokens).stream()
                .filter(t -> sid.equals(sidOf(t))).findFirst(), Optional::isPresent).orElseThrow();
    }

    private static Object sidOf(String logoutToken) {
        try {
            return SignedJWT.parse(logoutToken).getJWTClaimsSet().getClaim("sid");
        } catch (java.text.ParseException e) {
            throw new AssertionError("not a JWT: " + logoutToken, e);
        }
    }

    /** Validated as the application would under {@code issuer} (its discovery names that issuer and its JWKS). */
    private static com.nimbusds.openid.connect.sdk.claims.LogoutTokenClaimsSet validated(String token, URI issuer) throws Exception {
        var jwks = com.nimbusds.jose.jwk.JWKSet.load(URI.create(issuer + "/jwks").toURL());
        return new com.nimbusds.openid.connect.sdk.validators.LogoutTokenValidator(new com.nimbusds.oauth2.sdk.id.Issuer(issuer),
                new com.nimbusds.oauth2.sdk.id.ClientID("app"), true,
                new com.nimbusds.jose.proc.JWSVerificationKeySelector<com.nimbusds.jose.proc.SecurityContext>(
                        com.nimbusds.jose.JWSAlgorithm.RS256, new com.nimbusds.jose.jwk.source.ImmutableJWKSet<>(jwks)), null)
                .validate(com.nimbusds.jwt.JWTParser.parse(token));
    }
}
