package dev.signet.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The whole journey through the built-in {@code kind: dev-unsafe} connection, served by Signet itself
 * at /dev-upstream/{connection}: authorize → sign-in page → dev form → callback (state, iss, nonce
 * checked like any upstream) → code → tokens → userinfo → refresh rotation → family revocation; the
 * built-in demo app through the same connection; and the dev upstream refusing foreign redirects.
 */
class DevConnectionJourneyTest {

    static SignetHarness signet;

    static final String APP_SECRET = "app-secret-0123456789";
    static final URI APP_REDIRECT = URI.create("http://localhost:9/cb");

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                display_name: Dev Tenant
                demo_client: true
                clients:
                  - id: app
                    secret: ${APP_SECRET}
                    redirect_uris: [http://localhost:9/cb]
                    grant_types: [authorization_code, refresh_token, client_credentials]
                connections:
                  - id: dev
                    kind: dev-unsafe
                    name: Dev Sign-in
            """;

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\">");

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG, Map.of("APP_SECRET", APP_SECRET));
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of(APP_SECRET), APP_REDIRECT);
    }

    /** The dev upstream's form page: its action and hidden/visible inputs by name. */
    record DevForm(URI action, Map<String, String> fields) {}

    static DevForm devForm(HttpResponse<String> page) {
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.headers().firstValue("Cache-Control")).contains("no-store");
        Matcher action = FORM.matcher(page.body());
        assertThat(action.find()).as("a POST form in: " + page.body()).isTrue();
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = Pattern.compile("<input [^>]*name=\"([^\"]*)\"[^>]*value=\"([^\"]*)\"").matcher(page.body());
        while (input.find()) {
            fields.put(input.group(1), input.group(2).replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\""));
        }
        return new DevForm(URI.create(action.group(1).replace("&amp;", "&")), fields);
    }

    /**
     * From Signet's sign-in page through the dev upstream and back: returns the redirect to the
     * application (code, state, iss). Asserts every hop on the way.
     */
    static URI signInThroughDev(Browser browser, URI authorizeUrl, String name, String email) {
        // authorize → hosted sign-in page listing the dev connection
        HttpResponse<String> page = browser.get(authorizeUrl);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("Dev Sign-in");

        // sign-in page → /signin/dev → the dev upstream, carrying Signet's state, nonce and callback
        URI toUpstream = Browser.location(browser.get(Browser.link(page.body(), "/signin/dev?")));
        assertThat(toUpstream.getPath()).isEqualTo("/dev-upstream/dev");
        assertThat(toUpstream.toString()).startsWith(signet.url("/dev-upstream/dev").toString());
        Map<String, String> uq = Browser.query(toUpstream);
        assertThat(uq).containsKeys("state", "nonce").containsEntry("redirect_uri", signet.url("/callback/dev").toString());
        assertThat(browser.cookie("signet_upstream_state")).isPresent();

        // GET the dev upstream: a form echoing state, nonce and redirect_uri as hidden fields
        DevForm form = devForm(browser.get(toUpstream));
        assertThat(form.action()).isEqualTo(signet.url("/dev-upstream/dev"));
        assertThat(form.fields()).containsEntry("state", uq.get("state")).containsEntry("nonce", uq.get("nonce"))
                .containsEntry("redirect_uri", uq.get("redirect_uri")).containsKeys("name", "email");

        // POST the form → back to Signet's callback with code, state and RFC 9207 iss
        Map<String, String> submit = new LinkedHashMap<>();
        submit.put("state", form.fields().get("state"));
        submit.put("nonce", form.fields().get("nonce"));
        submit.put("redirect_uri", form.fields().get("redirect_uri"));
        submit.put("name", name);
        submit.put("email", email);
        URI callback = Browser.location(browser.postForm(form.action(), submit));
        assertThat(callback.toString()).startsWith(signet.url("/callback/dev") + "?");
        Map<String, String> cq = Browser.query(callback);
        assertThat(cq).containsEntry("state", uq.get("state")).containsEntry("iss", signet.url("/dev-upstream/dev").toString())
                .containsKey("code");

        // callback → session cookie, state cookie cleared, and straight back to the application with
        // the code (issue 16: the resume step runs in the callback's transaction when no page is needed)
        HttpResponse<String> afterCallback = browser.get(callback);
        assertThat(afterCallback.headers().allValues("Set-Cookie"))
                .anyMatch(c -> c.startsWith("signet_session=") && c.contains("HttpOnly"))
                .anyMatch(c -> c.startsWith("signet_upstream_state=;") && c.contains("Max-Age=0"));
        return Browser.location(afterCallback);
    }

    @Test
    void signInWhenDevConnectionThenTokensUserinfoRefreshRotationAndFamilyRevocation() throws Exception {
        Browser browser = new Browser();
        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid profile email offline_access", Map.of());

        URI back = signInThroughDev(browser, auth.url(), "Dana Dev", "dana@example.com");
        assertThat(back.toString()).startsWith(APP_REDIRECT + "?");
        Map<String, String> bq = Browser.query(back);
        assertThat(bq).containsEntry("state", auth.state()).containsEntry("iss", signet.issuer().toString()).containsKey("code");

        // code → tokens; the ID token validates against Signet's JWKS (Nimbus, OIDC Core §3.1.3.7)
        HttpResponse<String> tokenResponse = app.exchange(bq.get("code"), auth.verifier());
        assertThat(tokenResponse.statusCode()).as(tokenResponse.body()).isEqualTo(200);
        assertThat(tokenResponse.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode tokens = RelyingParty.json(tokenResponse);
        assertThat(tokens.path("token_type").asString()).isEqualTo("Bearer");
        JWTClaimsSet id = app.validateIdToken(tokens.path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256);
        assertThat(id.getIssuer()).isEqualTo(signet.issuer().toString());
        assertThat(id.getAudience()).containsExactly("app");
        assertThat(id.getClaims()).containsKeys("auth_time", "sid", "iat", "exp")
                .containsEntry("email", "dana@example.com").containsEntry("email_verified", false).containsEntry("name", "Dana Dev");
        String subject = id.getSubject();
        assertThat(subject).isNotBlank();

        // userinfo
        String accessToken = tokens.path("access_token").asString();
        HttpResponse<String> info = app.userinfo(accessToken);
        assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
        assertThat(RelyingParty.json(info).path("sub").asString()).isEqualTo(subject);
        assertThat(RelyingParty.json(info).path("email").asString()).isEqualTo("dana@example.com");
        assertThat(RelyingParty.json(info).path("name").asString()).isEqualTo("Dana Dev");

        // refresh rotates
        String refresh1 = tokens.path("refresh_token").asString();
        assertThat(refresh1).isNotEmpty();
        HttpResponse<String> r2 = app.refresh(refresh1);
        assertThat(r2.statusCode()).as(r2.body()).isEqualTo(200);
        String refresh2 = RelyingParty.json(r2).path("refresh_token").asString();
        String access2 = RelyingParty.json(r2).path("access_token").asString();
        assertThat(refresh2).isNotEmpty().isNotEqualTo(refresh1);
        assertThat(app.userinfo(access2).statusCode()).isEqualTo(200);

        // reusing the rotated token revokes the whole family
        HttpResponse<String> reuse = app.refresh(refresh1);
        assertThat(reuse.statusCode()).isEqualTo(400);
        assertThat(RelyingParty.json(reuse).path("error").asString()).isEqualTo("invalid_grant");
        assertThat(RelyingParty.json(app.refresh(refresh2)).path("error").asString()).isEqualTo("invalid_grant");
        HttpResponse<String> revoked = app.userinfo(access2);
        assertThat(revoked.statusCode()).isEqualTo(401);
        assertThat(revoked.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    }

    /**
     * Issue 16: when the waiting request needs no page, the callback answers the application's
     * redirect with the code itself, in its one transaction; the pending request is used up there, so
     * the resume link of that sign-in is expired afterwards (no second code from it).
     */
    @Test
    void callbackWhenNoPageNeededThenStraightToTheApplicationAndResumeLinkExpired() throws Exception {
        Browser browser = new Browser();
        RelyingParty.Authorization auth = app().authorize("openid email", Map.of());
        HttpResponse<String> page = browser.get(auth.url());
        URI signIn = Browser.link(page.body(), "/signin/dev?");
        String pending = Browser.query(signIn).get("pending");
        URI toUpstream = Browser.location(browser.get(signIn));
        Map<String, String> submit = new LinkedHashMap<>(Browser.query(toUpstream));
        submit.put("name", "Straight");
        submit.put("email", "straight@example.com");
        URI callback = Browser.location(browser.postForm(signet.url("/dev-upstream/dev"), submit));

        HttpResponse<String> afterCallback = browser.get(callback);
        assertThat(afterCallback.statusCode()).isEqualTo(302);
        URI back = Browser.location(afterCallback);
        assertThat(back.toString()).startsWith(APP_REDIRECT + "?code=");
        assertThat(Browser.query(back)).containsEntry("state", auth.state()).containsEntry("iss", signet.issuer().toString());
        assertThat(afterCallback.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("signet_session="));
        HttpResponse<String> tokens = app().exchange(Browser.query(back).get("code"), auth.verifier());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);

        HttpResponse<String> resumed = browser.get(signet.url("/authorize/resume?pending=" + pending));
        assertThat(ErrorPage.of(resumed).reason()).isEqualTo("signin.expired");
    }

    @Test
    void exchangeWhenCodeReplayedThenInvalidGrantAndTokensFromItRevoked() throws Exception {
        RelyingParty app = app();
        RelyingParty.Authorization auth = app.authorize("openid email offline_access", Map.of());
        Map<String, String> bq = Browser.query(signInThroughDev(new Browser(), auth.url(), "Gil", "gil@example.com"));
        JsonNode tokens = RelyingParty.json(app.exchange(bq.get("code"), auth.verifier()));
        String accessToken = tokens.path("access_token").asString();
        assertThat(app.userinfo(accessToken).statusCode()).isEqualTo(200);

        HttpResponse<String> replay = app.exchange(bq.get("code"), auth.verifier());
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(RelyingParty.json(replay).path("error").asString()).isEqualTo("invalid_grant");
        assertThat(app.userinfo(accessToken).statusCode()).isEqualTo(401);
        assertThat(RelyingParty.json(app.refresh(tokens.path("refresh_token").asString())).path("error").asString())
                .isEqualTo("invalid_grant");
    }

    @Test
    void signInWhenSameEmailTwiceThenSameSubject() throws Exception {
        RelyingParty app = app();
        String first = subjectAfterDevSignIn(app, new Browser(), "Erin", "erin@example.com");
        String second = subjectAfterDevSignIn(app, new Browser(), "Erin Again", "erin@example.com");
        String other = subjectAfterDevSignIn(app, new Browser(), "Frank", "frank@example.com");
        assertThat(second).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private static String subjectAfterDevSignIn(RelyingParty app, Browser browser, String name, String email) throws Exception {
        RelyingParty.Authorization auth = app.authorize("openid email profile", Map.of());
        Map<String, String> bq = Browser.query(signInThroughDev(browser, auth.url(), name, email));
        assertThat(bq).containsEntry("state", auth.state());
        HttpResponse<String> t = app.exchange(bq.get("code"), auth.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        JWTClaimsSet id = app.validateIdToken(RelyingParty.json(t).path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256);
        assertThat(id.getStringClaim("email")).isEqualTo(email);
        assertThat(id.getStringClaim("name")).isEqualTo(name);
        return id.getSubject();
    }

    @Test
    void clientCredentialsWhenConfidentialClientThenAccessTokenAboutTheClient() throws Exception {
        HttpResponse<String> r = app().token(Map.of("grant_type", "client_credentials"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = RelyingParty.json(r);
        assertThat(body.has("refresh_token")).isFalse();
        assertThat(body.has("id_token")).isFalse();
        JWTClaimsSet claims = app().verifyAccessToken(body.path("access_token").asString());
        assertThat(claims.getSubject()).isEqualTo("app");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("app");
        assertThat(claims.getIssuer()).isEqualTo(signet.issuer().toString());
    }

    @Test
    void demoWhenDemoClientEnabledThenCallbackPageShowsIdTokenClaims() {
        Browser browser = new Browser();
        HttpResponse<String> start = browser.get(signet.url("/demo"));
        URI authorize = Browser.location(start);
        assertThat(authorize.getPath()).isEqualTo("/authorize");
        assertThat(Browser.query(authorize)).containsEntry("client_id", "signet-demo")
                .containsEntry("redirect_uri", signet.url("/demo/callback").toString()).containsEntry("code_challenge_method", "S256");
        assertThat(browser.cookie("signet_demo")).isPresent();

        URI back = signInThroughDev(browser, authorize, "Demo Person", "demo.person@example.com");
        assertThat(back.getPath()).isEqualTo("/demo/callback");
        assertThat(back.toString()).startsWith(signet.url("/demo/callback") + "?");

        HttpResponse<String> demo = browser.get(back);
        assertThat(demo.statusCode()).as(demo.body()).isEqualTo(200);
        Matcher table = Pattern.compile("<table id=\"claims\">(.*?)</table>", Pattern.DOTALL).matcher(demo.body());
        assertThat(table.find()).as("claims table in: " + demo.body()).isTrue();
        String claims = table.group(1);
        assertThat(claims).contains("<th>email</th><td><code>demo.person@example.com</code></td>")
                .contains("<th>name</th><td><code>Demo Person</code></td>")
                .contains("<th>iss</th><td><code>" + signet.issuer() + "</code></td>")
                .contains("<th>aud</th><td><code>[signet-demo]</code></td>");
        // userinfo fetched by the demo app shows the same user
        assertThat(demo.body()).contains("demo.person@example.com");
    }

    /**
     * Issue 11 defect 9: CSP form-action also governs the redirects answering the dev form's POST, so
     * the dev form (and only it) lists the callback's and the waiting request's redirect-URI origins;
     * once the sign-in finished, the same link shows no form (no second submission, no state_mismatch).
     * DevFormCrossOriginBrowserTest shows both in Chromium.
     */
    @Test
    void devFormWhenSignInWaitsThenFormActionListsCallbackAndAppOriginsOnlyAndOnceFinishedNoForm() {
        Browser browser = new Browser();
        RelyingParty.Authorization auth = app().authorize("openid email", Map.of());
        HttpResponse<String> chooser = browser.get(auth.url());
        assertThat(chooser.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("form-action 'self';");
        URI toUpstream = Browser.location(browser.get(Browser.link(chooser.body(), "/signin/dev?")));
        HttpResponse<String> form = browser.get(toUpstream);
        assertThat(form.body()).contains("<form method=\"post\"");
        String self = signet.issuer().toString();
        assertThat(form.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("default-src 'none';").contains("form-action 'self' " + self + " http://localhost:9;");

        Map<String, String> uq = Browser.query(toUpstream);
        Map<String, String> submit = new LinkedHashMap<>(uq);
        submit.put("name", "Back Button");
        submit.put("email", "back@example.com");
        URI callback = Browser.location(browser.postForm(signet.url("/dev-upstream/dev"), submit));
        URI back = Browser.location(browser.get(callback));
        assertThat(back.toString()).startsWith(APP_REDIRECT + "?code=");

        HttpResponse<String> again = browser.get(toUpstream);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).doesNotContain("<form").contains("You are already signed in");
        assertThat(again.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("form-action 'self';");
        HttpResponse<String> stranger = new Browser().get(toUpstream);
        assertThat(stranger.body()).doesNotContain("<form").contains("no longer valid");
    }

    @Test
    void devUpstreamPostWhenRedirectUriIsForeignThenErrorPageWithoutRedirect() {
        Browser browser = new Browser();
        RelyingParty.Authorization auth = app().authorize("openid email", Map.of());
        HttpResponse<String> page = browser.get(auth.url());
        URI toUpstream = Browser.location(browser.get(Browser.link(page.body(), "/signin/dev?")));
        Map<String, String> uq = Browser.query(toUpstream);

        Map<String, String> submit = new LinkedHashMap<>();
        submit.put("state", uq.get("state"));
        submit.put("nonce", uq.get("nonce"));
        submit.put("redirect_uri", "https://evil.example/callback/dev");
        submit.put("name", "Mallory");
        submit.put("email", "mallory@example.com");
        HttpResponse<String> r = browser.postForm(signet.url("/dev-upstream/dev"), submit);

        ErrorPage error = ErrorPage.of(r);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(error.status()).isEqualTo(502);
        assertThat(error.reason()).isEqualTo("upstream.bad_response");
        assertThat(error.provider()).contains("Dev Sign-in");
        assertThat(error.correlationId()).isNotBlank().isEqualTo(r.headers().firstValue("X-Correlation-Id").orElseThrow());
        assertThat(r.body()).doesNotContain("evil.example");

        // nor does a GET of the dev upstream with a foreign redirect_uri show the form
        Map<String, String> q = new LinkedHashMap<>(uq);
        q.put("redirect_uri", "https://evil.example/callback/dev");
        HttpResponse<String> get = browser.get(URI.create(signet.url("/dev-upstream/dev") + "?" + Browser.form(q)));
        assertThat(ErrorPage.of(get).reason()).isEqualTo("upstream.bad_response");
        assertThat(get.body()).doesNotContain("<form");
    }
}
