package dev.signet.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.LogCapture;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every connector kind must do, run for each kind against a fake upstream on a real port
 * through the running server (dex storage/conformance; STYLE.md 2c step 4). A kind's test extends
 * this class and scripts its fake: mock-oauth2-server for OIDC kinds, a small JDK {@code HttpServer}
 * speaking the provider's documented shapes for the others.
 *
 * <p>The configuration must have two connections: {@code main} ("Main IdP"), whose upstream does
 * not advertise RFC 9207 {@code iss}, and {@code strict} ("Strict IdP"), which expects {@code iss}
 * on every callback; both with a short {@code timeout}. Covered: happy path; unknown extra fields
 * ignored; state mismatch; RFC 9207 §2.4 {@code iss} mismatch (the log names both values), absent
 * but expected, absent and not advertised, present and right; a missing required field (named,
 * with the connection); upstream 5xx and timeout (an error page, no hang); an unverified email never
 * links to an existing account.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConnectorContract {

    /** Who the upstream signs in next. {@code extra}: unknown fields the upstream adds to its answer. */
    public record Person(String subject, String email, boolean emailVerified, String name, Map<String, Object> extra) {
        public Person(String subject, String email, boolean emailVerified, String name) {
            this(subject, email, emailVerified, name, Map.of());
        }
    }

    public enum Fault { SERVER_ERROR, TIMEOUT }

    static final String APP_SECRET = "app-secret-0123456789";
    static final URI APP_REDIRECT = URI.create("http://localhost:9/cb");

    protected SignetHarness signet;
    protected LogCapture log;

    // ---- what each kind provides

    protected abstract void startUpstream() throws Exception;

    protected abstract void stopUpstream();

    /** YAML list items under {@code connections:} (indented by 6 spaces), with {@code ${VAR}}s from {@link #env()}. */
    protected abstract String connections();

    protected abstract Map<String, String> env();

    /** The issuer the connections expect in RFC 9207 {@code iss}. */
    protected abstract String expectedIssuer();

    /** Where Signet sends the browser (the upstream's authorization endpoint). */
    protected abstract String authorizationEndpoint();

    /** The next sign-in at the upstream is {@code p}. Called before the browser goes to the upstream. */
    protected abstract void nextSignIn(Person p);

    /**
     * The next answer of the upstream to Signet (after the browser has left the upstream) lacks a
     * required field. Returns the field's name as the error must show it.
     */
    protected abstract String nextAnswerLacksRequiredField();

    /** The next call from Signet to the upstream (after the browser has left the upstream) fails so. */
    protected abstract void failNextCall(Fault fault);

    // ---- lifecycle

    @BeforeAll
    void startAll() throws Exception {
        startUpstream();
        Map<String, String> env = new HashMap<>(env());
        env.put("APP_SECRET", APP_SECRET);
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: ${APP_SECRET}
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                """ + connections(), env);
        log = new LogCapture();
    }

    @AfterAll
    void stopAll() {
        if (log != null) {
            log.close();
        }
        if (signet != null) {
            signet.close();
        }
        stopUpstream();
    }

    // ---- the contract

    @Test
    void signInWhenUpstreamAnswersThenIdTokenCarriesTheIdentity() throws Exception {
        String email = unique("ada") + "@example.com";
        JWTClaimsSet id = signIn("main", new Person(unique("ada"), email, true, "Ada Lovelace"), UnaryOperator.identity());
        assertThat(id.getClaims()).containsEntry("email", email).containsEntry("email_verified", true)
                .containsEntry("name", "Ada Lovelace");
    }

    @Test
    void signInWhenAnswerHasUnknownFieldsThenIgnored() throws Exception {
        String email = unique("uma") + "@example.com";
        Map<String, Object> extra = Map.of("unknown_extra", Map.of("x", 1, "y", java.util.List.of("a", "b")),
                "https://claims.example/tenant", 42, "plan", "free");
        JWTClaimsSet id = signIn("main", new Person(unique("uma"), email, true, "Uma", extra), UnaryOperator.identity());
        assertThat(id.getClaims()).containsEntry("email", email).containsEntry("name", "Uma")
                .doesNotContainKeys("unknown_extra", "https://claims.example/tenant", "plan");
    }

    @Test
    void callbackWhenStateIsNotThisBrowsersThenStateMismatch() {
        Browser browser = new Browser();
        URI toUpstream = toUpstream(browser, "main");
        Browser other = new Browser();
        URI othersUpstream = toUpstream(other, "main");

        // another browser's genuine state delivered to this browser (login CSRF), and a state Signet never issued
        for (String state : new String[] {Browser.query(othersUpstream).get("state"), RelyingParty.random()}) {
            HttpResponse<String> r = callback(browser, "main", params("code", "c", "state", state));
            ErrorPage page = ErrorPage.of(r);
            assertThat(page.status()).isEqualTo(400);
            assertThat(page.reason()).isEqualTo("upstream.state_mismatch");
            assertThat(page.provider()).contains("Main IdP");
            assertNoSession(r);
        }
        // the right state from a browser without the state cookie
        HttpResponse<String> noCookie = callback(new Browser(), "main", params("code", "c", "state", Browser.query(toUpstream).get("state")));
        assertThat(ErrorPage.of(noCookie).reason()).isEqualTo("upstream.state_mismatch");
        assertNoSession(noCookie);
    }

    @Test
    void callbackWhenIssDiffersThenIssuerMismatchNamingBothValues() {
        for (String[] conn : new String[][] {{"main", "Main IdP"}, {"strict", "Strict IdP"}}) {
            Browser browser = new Browser();
            URI fromUpstream = throughUpstream(browser, conn[0], person("ivy"));
            HttpResponse<String> r = deliver(browser, withIss(fromUpstream, Optional.of("https://evil.example/login/oauth")));
            ErrorPage page = ErrorPage.of(r);
            assertThat(page.status()).as(conn[0]).isEqualTo(502);
            assertThat(page.reason()).as(conn[0]).isEqualTo("upstream.issuer_mismatch");
            assertThat(page.provider()).as(conn[0]).contains(conn[1]);
            assertThat(page.retryUrl()).as(conn[0]).hasValueSatisfying(u -> assertThat(u).contains("/signin/" + conn[0]));
            assertThat(log.detail(page.correlationId())).as(conn[0])
                    .contains("expected '" + expectedIssuer() + "'").contains("received 'https://evil.example/login/oauth'");
            assertNoSession(r);
        }
    }

    @Test
    void callbackWhenIssAbsentButExpectedThenIssuerMissing() {
        Browser browser = new Browser();
        URI fromUpstream = throughUpstream(browser, "strict", person("ike"));
        HttpResponse<String> r = deliver(browser, withIss(fromUpstream, Optional.empty()));
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).isEqualTo(502);
        assertThat(page.reason()).isEqualTo("upstream.issuer_missing");
        assertThat(page.provider()).contains("Strict IdP");
        assertThat(log.detail(page.correlationId())).contains(expectedIssuer());
        assertNoSession(r);
    }

    @Test
    void callbackWhenIssAbsentAndNotAdvertisedThenSignInCompletes() throws Exception {
        String email = unique("quinn") + "@example.com";
        JWTClaimsSet id = signIn("main", new Person(unique("quinn"), email, true, "Quinn"), u -> withIss(u, Optional.empty()));
        assertThat(id.getStringClaim("email")).isEqualTo(email);
    }

    @Test
    void callbackWhenIssIsTheExpectedIssuerThenSignInCompletes() throws Exception {
        for (String conn : new String[] {"main", "strict"}) {
            String email = unique("sam") + "@example.com";
            JWTClaimsSet id = signIn(conn, new Person(unique("sam"), email, true, "Sam"), u -> withIss(u, Optional.of(expectedIssuer())));
            assertThat(id.getStringClaim("email")).as(conn).isEqualTo(email);
        }
    }

    @Test
    void callbackWhenRequiredFieldMissingThenFieldMissingNamingFieldAndConnection() {
        Browser browser = new Browser();
        URI fromUpstream = throughUpstream(browser, "main", person("mia"));
        String field = nextAnswerLacksRequiredField();
        HttpResponse<String> r = deliver(browser, fromUpstream);
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.reason()).isEqualTo("upstream.field_missing");
        assertThat(page.status()).isEqualTo(502);
        assertThat(page.provider()).contains("Main IdP");
        assertThat(page.html().replace("&#39;", "'")).contains("'" + field + "'");
        assertThat(log.detail(page.correlationId())).contains("connection 'main'").contains("'" + field + "'");
        assertNoSession(r);
    }

    @Test
    void callbackWhenUpstreamAnswers5xxThenUnreachablePageWithRetry() {
        assertUnreachable(Fault.SERVER_ERROR, "HTTP 5");
    }

    @Test
    void callbackWhenUpstreamTimesOutThenUnreachablePageWithRetry() {
        assertUnreachable(Fault.TIMEOUT, "timed out");
    }

    private void assertUnreachable(Fault fault, String detail) {
        Browser browser = new Browser();
        URI fromUpstream = throughUpstream(browser, "main", person("una"));
        failNextCall(fault);
        HttpResponse<String> r = deliver(browser, fromUpstream);
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.reason()).isEqualTo("upstream.unreachable");
        assertThat(page.provider()).contains("Main IdP");
        assertThat(page.retryUrl()).hasValueSatisfying(u -> assertThat(u).contains("/signin/main"));
        assertThat(log.detail(page.correlationId())).contains(detail);
        assertNoSession(r);
        // the retry link starts the sign-in again at the upstream
        URI again = Browser.location(browser.get(URI.create(page.retryUrl().orElseThrow())));
        assertThat(again.toString()).startsWith(authorizationEndpoint());
    }

    @Test
    void signInWhenEmailUnverifiedThenNotLinkedToTheVerifiedAccount() throws Exception {
        String email = unique("val") + "@example.com";
        String owner = signIn("main", new Person(unique("val"), email, true, "Val"), UnaryOperator.identity()).getSubject();

        JWTClaimsSet impostor = signIn("main", new Person(unique("eve"), email, false, "Eve"), UnaryOperator.identity());
        assertThat(impostor.getSubject()).isNotEqualTo(owner);
        assertThat(impostor.getClaims()).containsEntry("email_verified", false);

        // control: the same address, verified by the upstream for another upstream account, links
        JWTClaimsSet second = signIn("main", new Person(unique("val2"), email, true, "Val"), UnaryOperator.identity());
        assertThat(second.getSubject()).isEqualTo(owner);
    }

    // ---- the journey, as a browser and an application do it

    protected static String unique(String name) {
        return name + "-" + RelyingParty.random().substring(0, 8).toLowerCase().replace('_', 'x').replace('-', 'x');
    }

    protected static Person person(String name) {
        return new Person(unique(name), unique(name) + "@example.com", true, name);
    }

    protected RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of(APP_SECRET), APP_REDIRECT);
    }

    /** authorize → sign-in page → /signin/{connection} → the upstream's authorization URL. */
    protected URI toUpstream(Browser browser, String connection) {
        return toUpstream(browser, app().authorize("openid email profile", Map.of()), connection);
    }

    protected URI toUpstream(Browser browser, RelyingParty.Authorization auth, String connection) {
        HttpResponse<String> page = browser.get(auth.url());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        URI u = Browser.location(browser.get(Browser.link(page.body(), "/signin/" + connection + "?")));
        assertThat(u.toString()).startsWith(authorizationEndpoint());
        assertThat(Browser.query(u)).containsKey("state").containsEntry("redirect_uri", signet.url("/callback/" + connection).toString());
        return u;
    }

    /** Through the upstream as {@code p}: the callback URI the upstream sends the browser to (not yet followed). */
    protected URI throughUpstream(Browser browser, String connection, Person p) {
        return throughUpstream(browser, app().authorize("openid email profile", Map.of()), connection, p);
    }

    protected URI throughUpstream(Browser browser, RelyingParty.Authorization auth, String connection, Person p) {
        URI toUpstream = toUpstream(browser, auth, connection);
        nextSignIn(p);
        HttpResponse<String> answer = browser.get(toUpstream);
        URI callback = formPost(connection) ? Browser.postedForm(answer) : Browser.location(answer);
        assertThat(callback.toString()).startsWith(signet.url("/callback/" + connection) + "?");
        return callback;
    }

    /** A whole sign-in as {@code p}; {@code alter} changes the upstream's callback. Returns Signet's validated ID token. */
    protected JWTClaimsSet signIn(String connection, Person p, UnaryOperator<URI> alter) throws Exception {
        Browser browser = new Browser();
        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email profile", Map.of());
        URI callback = alter.apply(throughUpstream(browser, auth, connection, p));
        HttpResponse<String> afterCallback = deliver(browser, callback);
        URI back = Browser.location(afterCallback); // straight back to the application (issue 16)
        Map<String, String> q = Browser.query(back);
        assertThat(back.toString()).startsWith(APP_REDIRECT + "?");
        assertThat(q).containsEntry("state", auth.state()).containsKey("code");
        HttpResponse<String> tokens = app.exchange(q.get("code"), auth.verifier());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        return app.validateIdToken(RelyingParty.json(tokens).path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256);
    }

    /** Calls Signet's callback directly, as if the upstream had redirected the browser there. */
    protected HttpResponse<String> callback(Browser browser, String connection, Map<String, String> params) {
        return deliver(browser, URI.create(signet.url("/callback/" + connection) + "?" + Browser.form(params)));
    }

    /**
     * Whether {@code connection}'s upstream answers with {@code response_mode=form_post}: its answer
     * is then an auto-submitting form, and the callback a cross-site POST.
     */
    protected boolean formPost(String connection) {
        return false;
    }

    /**
     * The upstream's answer {@code callback} (the callback URI with its parameters as the query)
     * delivered as the upstream makes the browser deliver it: a GET of the URI, or, for
     * {@link #formPost} connections, a cross-site POST of the parameters to the URI's path.
     */
    protected HttpResponse<String> deliver(Browser browser, URI callback) {
        String path = callback.getPath();
        if (!formPost(path.substring(path.lastIndexOf('/') + 1))) {
            return browser.get(callback);
        }
        String s = callback.toString();
        return browser.postCrossSite(URI.create(s.substring(0, s.indexOf('?'))), Browser.query(callback));
    }

    /** The callback with its {@code iss} parameter replaced (or removed). */
    protected static URI withIss(URI callback, Optional<String> iss) {
        Map<String, String> q = new LinkedHashMap<>(Browser.query(callback));
        q.remove("iss");
        iss.ifPresent(v -> q.put("iss", v));
        String s = callback.toString();
        return URI.create(s.substring(0, s.indexOf('?')) + "?" + Browser.form(q));
    }

    protected static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    protected static void assertNoSession(HttpResponse<String> r) {
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("signet_session="));
    }
}
