package dev.signet.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Signet's browser session through the real server and the built-in dev connection: prompt=login,
 * max_age, prompt=none, server-side expiry, the cookie's attributes, the cookie value never stored,
 * the home page, and the per-client ID token algorithm.
 *
 * <p>Tests that move the clock forward move it back by the same amount when done: the relying
 * party validates ID tokens with Nimbus against the wall clock (an {@code iat} more than 60 s ahead
 * is rejected), so a clock left ahead would make the outcome of other tests depend on their order.
 */
class SessionJourneyTest {

    static SignetHarness signet;

    static final String APP_SECRET = "app-secret-0123456789";
    static final URI APP_REDIRECT = URI.create("http://localhost:9/cb");
    static final String ES_SECRET = "es-secret-0123456789";
    static final URI ES_REDIRECT = URI.create("http://localhost:9/es");

    static final String TENANT = """
            tenants:
              - name: default
                display_name: Session Tenant
                session_ttl: 1h
                demo_client: true
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                  - id: es-app
                    secret: es-secret-0123456789
                    redirect_uris: [http://localhost:9/es]
                    id_token_signed_response_alg: ES256
                connections:
                  - id: dev
                    kind: dev-unsafe
                    name: Dev Sign-in
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(SignetHarness.server() + TENANT);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of(APP_SECRET), APP_REDIRECT);
    }

    /** Moves Signet's clock forward; {@link #rewind} moves it back so later tests see wall-clock time again. */
    static void advance(Duration d) {
        signet.clock.advance(d);
    }

    static void rewind(Duration d) {
        signet.clock.advance(d.negated());
    }

    /** The code from a redirect back to the application, after checking it is that redirect and carries the state. */
    static String code(URI back, RelyingParty rp, RelyingParty.Authorization auth) {
        assertThat(back.toString()).startsWith(rp.redirectUri + "?");
        Map<String, String> q = Browser.query(back);
        assertThat(q).containsEntry("state", auth.state()).containsEntry("iss", signet.issuer().toString()).doesNotContainKey("error");
        return q.get("code");
    }

    /** Exchanges the code; the ID token's claims, read without checking the time claims (the clock may be ahead). */
    static JWTClaimsSet idTokenClaims(RelyingParty rp, RelyingParty.Authorization auth, String code) throws Exception {
        HttpResponse<String> t = rp.exchange(code, auth.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        JWTClaimsSet claims = SignedJWT.parse(RelyingParty.json(t).path("id_token").asString()).getJWTClaimsSet();
        assertThat(claims.getStringClaim("nonce")).isEqualTo(auth.nonce());
        return claims;
    }

    static long authTime(JWTClaimsSet c) throws Exception {
        Long t = c.getLongClaim("auth_time");
        assertThat(t).as("auth_time in " + c).isNotNull();
        return t;
    }

    /** A browser already signed in as {@code email}, with the ID token claims of that first sign-in. */
    record SignedIn(Browser browser, JWTClaimsSet first) {}

    static SignedIn signedIn(String email) throws Exception {
        Browser browser = new Browser();
        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        JWTClaimsSet first = idTokenClaims(app, auth, code(DevSignIn.signIn(browser, auth.url(), email), app, auth));
        assertThat(first.getStringClaim("email")).isEqualTo(email);
        assertThat(browser.cookie(Sessions.COOKIE)).isPresent();
        return new SignedIn(browser, first);
    }

    static void assertSignInPage(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.headers().map() + " " + r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("Dev Sign-in").contains("/signin/dev?").doesNotContain("code=");
    }

    // ---- prompt and max_age (OIDC Core §3.1.2.1)

    @Test
    void authorizeWhenPromptLoginWithValidSessionThenSignInPageAndNewerAuthTime() throws Exception {
        SignedIn s = signedIn("pat.login@example.com");
        Duration later = Duration.ofSeconds(30);
        advance(later);
        try {
            RelyingParty app = app();
            RelyingParty.Authorization auth = app.authorize("openid email", Map.of("prompt", "login"));
            // the valid session does not satisfy prompt=login: the sign-in page again, no code
            assertSignInPage(s.browser().get(auth.url()));

            // signing in again (same browser, same session cookie beforehand) yields a newer auth_time
            JWTClaimsSet second = idTokenClaims(app, auth, code(DevSignIn.signIn(s.browser(), auth.url(), "pat.login@example.com"), app, auth));
            assertThat(second.getSubject()).isEqualTo(s.first().getSubject());
            assertThat(authTime(second)).isGreaterThanOrEqualTo(authTime(s.first()) + later.toSeconds());
            assertThat(second.getStringClaim("sid")).isNotEqualTo(s.first().getStringClaim("sid"));
        } finally {
            rewind(later);
        }
    }

    @Test
    void authorizeWhenSessionOlderThanMaxAgeThenSignInPageAndWhenWithinMaxAgeThenCodeAtOnce() throws Exception {
        SignedIn s = signedIn("max.age@example.com");
        Duration later = Duration.ofMinutes(2);
        advance(later);
        try {
            RelyingParty app = app();
            RelyingParty.Authorization strict = app.authorize("openid email", Map.of("max_age", "60"));
            assertSignInPage(s.browser().get(strict.url()));

            RelyingParty.Authorization lenient = app.authorize("openid email", Map.of("max_age", "600"));
            URI back = Browser.location(s.browser().get(lenient.url()));
            JWTClaimsSet claims = idTokenClaims(app, lenient, code(back, app, lenient));
            // the session of two minutes ago, not a new sign-in
            assertThat(authTime(claims)).isEqualTo(authTime(s.first()));
            assertThat(claims.getSubject()).isEqualTo(s.first().getSubject());
            assertThat(claims.getStringClaim("sid")).isEqualTo(s.first().getStringClaim("sid"));
        } finally {
            rewind(later);
        }
    }

    @Test
    void authorizeWhenMaxAgeZeroAndAnyTimePassedThenSignInPageAndWhenWithinMaxAgeThenCode() throws Exception {
        SignedIn s = signedIn("max.age.zero@example.com");
        Duration later = Duration.ofSeconds(1);
        advance(later);
        try {
            RelyingParty app = app();
            // max_age=0 is valid (a non-negative integer) and asks for a fresh sign-in: the page, not an error
            assertSignInPage(s.browser().get(app.authorize("openid email", Map.of("max_age", "0")).url()));
            // a max_age the session still satisfies: the code at once, from the same sign-in
            RelyingParty.Authorization within = app.authorize("openid email", Map.of("max_age", "2"));
            JWTClaimsSet claims = idTokenClaims(app, within, code(Browser.location(s.browser().get(within.url())), app, within));
            assertThat(authTime(claims)).isEqualTo(authTime(s.first()));
        } finally {
            rewind(later);
        }
    }

    @Test
    void authorizeWhenPromptNoneWithValidSessionThenCodeWithoutPage() throws Exception {
        SignedIn s = signedIn("no.prompt@example.com");
        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of("prompt", "none"));
        URI back = Browser.location(s.browser().get(auth.url()));
        JWTClaimsSet claims = app.validateIdToken(
                RelyingParty.json(app.exchange(code(back, app, auth), auth.verifier())).path("id_token").asString(), auth.nonce(),
                JWSAlgorithm.RS256);
        assertThat(claims.getSubject()).isEqualTo(s.first().getSubject());
        assertThat(claims.getStringClaim("sid")).isEqualTo(s.first().getStringClaim("sid"));
    }

    // ---- expiry

    @Test
    void authorizeWhenSessionTtlElapsedThenSignInPageAgain() throws Exception {
        SignedIn s = signedIn("expiring@example.com");
        RelyingParty app = app();
        // within the TTL the session answers at once
        RelyingParty.Authorization before = app.authorize("openid email", Map.of());
        code(Browser.location(s.browser().get(before.url())), app, before);

        Duration later = Duration.ofHours(2); // session_ttl is 1h
        advance(later);
        try {
            RelyingParty.Authorization after = app.authorize("openid email", Map.of());
            // the browser still sends the cookie (its Max-Age runs on the wall clock): Signet itself refuses it
            assertThat(s.browser().cookie(Sessions.COOKIE)).isPresent();
            assertSignInPage(s.browser().get(after.url()));
        } finally {
            rewind(later);
        }
    }

    // ---- the cookie

    /**
     * The dev journey by hand up to the callback; returns the callback's response (which sets the
     * session cookie) without following it. {@code reach} maps Signet's URLs to ones this test can
     * connect to (the listener is plain http even when the public URL is https). The state cookie is
     * sent by hand, since a cookie jar keeps a Secure cookie from an http URL.
     */
    static HttpResponse<String> callbackResponse(SignetHarness s, UnaryOperator<URI> reach, String email) {
        Browser browser = new Browser();
        RelyingParty rp = new RelyingParty(s, "app", Optional.of(APP_SECRET), APP_REDIRECT);
        HttpResponse<String> page = browser.get(reach.apply(rp.authorize("openid email", Map.of()).url()));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        HttpResponse<String> signIn = browser.get(reach.apply(Browser.link(page.body(), "/signin/dev?")));
        String stateCookie = setCookie(signIn, Cookies.name(s, "signet_upstream_state")).split(";", 2)[0];
        URI upstream = Browser.location(signIn);
        Map<String, String> q = Browser.query(upstream);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("state", q.get("state"));
        form.put("nonce", q.get("nonce"));
        form.put("redirect_uri", q.get("redirect_uri"));
        form.put("name", "Cookie Person");
        form.put("email", email);
        URI action = URI.create(upstream.getScheme() + "://" + upstream.getRawAuthority() + upstream.getRawPath());
        URI callback = Browser.location(browser.postForm(reach.apply(action), form));
        assertThat(callback.getPath()).isEqualTo("/callback/dev");
        HttpResponse<String> r = new Browser().send(HttpRequest.newBuilder(reach.apply(callback)).header("Cookie", stateCookie).GET());
        assertThat(Browser.query(Browser.location(r))).containsKey("code"); // straight back to the application (issue 16)
        return r;
    }

    /** Cookie names by the harness's issuer scheme: {@code __Host-} on https (see {@code web.Cookies}). */
    static final class Cookies {
        static String name(SignetHarness s, String name) {
            return s.issuer().getScheme().equals("https") ? "__Host-" + name : name;
        }
    }

    static String setCookie(HttpResponse<String> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + " in " + r.headers().map()));
    }

    static List<String> attributes(String setCookie) {
        return Arrays.stream(setCookie.split(";")).skip(1).map(String::trim).map(String::toLowerCase).toList();
    }

    @Test
    void callbackWhenIssuerIsHttpThenSessionCookieHttpOnlyLaxAndNotSecure() {
        String session = setCookie(callbackResponse(signet, u -> u, "cookie.http@example.com"), Sessions.COOKIE);
        // plain names on plain http (the __Host- prefix needs https)
        assertThat(session.split(";", 2)[0]).matches(Sessions.COOKIE + "=[A-Za-z0-9_-]{43}");
        assertThat(attributes(session)).contains("httponly", "samesite=lax", "path=/", "max-age=3600").doesNotContain("secure");
    }

    @Test
    void callbackWhenPublicUrlIsHttpsThenSessionCookieSecure() throws Exception {
        String yaml = """
                server:
                  host: 127.0.0.1
                  port: ${PORT}
                  public_url: https://localhost:${PORT}
                data:
                  dir: ${DATA}
                """ + TENANT;
        try (SignetHarness secure = SignetHarness.start(yaml)) {
            assertThat(secure.issuer().getScheme()).isEqualTo("https");
            // the listener itself is plain http on the same port
            UnaryOperator<URI> reach = u -> u.getScheme().equals("https") && u.getHost().equals("localhost")
                    ? URI.create("http" + u.toString().substring("https".length()))
                    : u;
            String session = setCookie(callbackResponse(secure, reach, "cookie.https@example.com"), "__Host-" + Sessions.COOKIE);
            assertThat(attributes(session)).contains("httponly", "samesite=lax", "secure", "path=/");
        }
    }

    @Test
    void signInWhenSessionCreatedThenStoreHoldsOnlyTheSha256OfTheCookie() throws Exception {
        SignedIn s = signedIn("stored@example.com");
        String cookie = s.browser().cookie(Sessions.COOKIE).orElseThrow();
        String sha256 = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(cookie.getBytes(StandardCharsets.UTF_8)));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + signet.dataDir().resolve("signet.db"))) {
            assertThat(tokenHashes(c)).isNotEmpty().doesNotContain(cookie).contains(sha256);
            // nor does the value appear in any other column of the sessions table
            try (PreparedStatement st = c.prepareStatement(
                    "SELECT COUNT(*) FROM sessions WHERE ? IN (id, token_hash, tenant, user_id, connection)")) {
                st.setString(1, cookie);
                try (ResultSet rs = st.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getInt(1)).isZero();
                }
            }
        }
    }

    private static List<String> tokenHashes(Connection c) throws Exception {
        List<String> out = new ArrayList<>();
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT token_hash FROM sessions")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    // ---- pages and per-client settings

    @Test
    void homeWhenDemoClientAndDevConnectionThenNamesIssuerWarnsAndLinksToDemo() {
        HttpResponse<String> r = new Browser().get(signet.url("/"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("<code>" + signet.issuer() + "</code>")
                .contains("Unsafe dev connection enabled")
                .contains("href=\"" + signet.url("/demo") + "\"");
    }

    @Test
    void tokenWhenClientAsksForEs256IdTokensThenEs256AndDefaultClientGetsRs256() throws Exception {
        RelyingParty es = new RelyingParty(signet, "es-app", Optional.of(ES_SECRET), ES_REDIRECT);
        RelyingParty.Authorization esAuth = es.authorize("openid email", Map.of());
        String esCode = code(DevSignIn.signIn(new Browser(), esAuth.url(), "es.user@example.com"), es, esAuth);
        JsonNode esTokens = RelyingParty.json(es.exchange(esCode, esAuth.verifier()));
        String esIdToken = esTokens.path("id_token").asString();
        assertThat(SignedJWT.parse(esIdToken).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        JWTClaimsSet esClaims = es.validateIdToken(esIdToken, esAuth.nonce(), JWSAlgorithm.ES256);
        assertThat(esClaims.getAudience()).containsExactly("es-app");
        assertThatThrownBy(() -> es.validateIdToken(esIdToken, esAuth.nonce(), JWSAlgorithm.RS256)).isInstanceOf(Exception.class);

        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        String code = code(DevSignIn.signIn(new Browser(), auth.url(), "rs.user@example.com"), app, auth);
        String idToken = RelyingParty.json(app.exchange(code, auth.verifier())).path("id_token").asString();
        assertThat(SignedJWT.parse(idToken).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(app.validateIdToken(idToken, auth.nonce(), JWSAlgorithm.RS256).getAudience()).containsExactly("app");
    }
}
