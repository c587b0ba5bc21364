package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertErrorPage;
import static dev.signet.protocol.ProtocolAssertions.assertErrorRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The authorization endpoint's refusals (RFC 6749 §3.1, §3.1.2, §4.1.1, §4.1.2.1; OIDC Core
 * §3.1.2.1, §3.1.2.6; RFC 9207): errors about the client or its redirect URI are shown on a page
 * and never redirected; every other error goes back to the verified redirect URI with state and iss.
 */
class AuthorizeRfc6749Test {

    static SignetHarness signet;
    static RelyingParty app;
    static RelyingParty tenantApp;
    static RelyingParty machine;

    static final URI APP_CB = URI.create("http://localhost:9/cb");
    static final URI TENANT_CB = URI.create("http://localhost:9/cb?tenant=a");
    static final URI MACHINE_CB = URI.create("http://localhost:9/machine");

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: app-secret-0123456789
                    redirect_uris: [http://localhost:9/cb]
                  - id: tenant-app
                    secret: tenant-secret-0123456789
                    redirect_uris: ["http://localhost:9/cb?tenant=a"]
                  - id: machine
                    secret: machine-secret-0123456789
                    redirect_uris: [http://localhost:9/machine]
                    grant_types: [client_credentials]
                  - id: native
                    public: true
                    redirect_uris: ["com.example.app:/oauth2redirect"]
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), APP_CB);
        tenantApp = new RelyingParty(signet, "tenant-app", Optional.of("tenant-secret-0123456789"), TENANT_CB);
        machine = new RelyingParty(signet, "machine", Optional.of("machine-secret-0123456789"), MACHINE_CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    /** An authorization request from {@code rp} with {@code changes} applied (a null value removes the parameter). */
    static RelyingParty.Authorization request(RelyingParty rp, String... changes) {
        Map<String, String> extra = new HashMap<>();
        for (int i = 0; i < changes.length; i += 2) {
            extra.put(changes[i], changes[i + 1]);
        }
        return rp.authorize("openid email", extra);
    }

    // ---- phase 1: client and redirect URI, shown on a page, never redirected

    @Test
    void authorizeWhenClientIdUnknownThenErrorPageWithReasonAndCorrelationId() {
        HttpResponse<String> r = new Browser().get(request(app, "client_id", "nobody").url());
        assertErrorPage(r, 400, "authorize.unknown_client");
    }

    @Test
    void authorizeWhenClientIdMissingThenErrorPageUnknownClient() {
        HttpResponse<String> r = new Browser().get(request(app, "client_id", null).url());
        assertErrorPage(r, 400, "authorize.unknown_client");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://localhost:9/cb/x",           // registered + a path segment
        "http://localhost:9/cb/",            // differs by a trailing slash
        "http://localhost:9/cb?x=1",         // differs by a query
        "http://localhost:9/c",              // a prefix of the registered URI
        "http://LOCALHOST:9/cb",             // case of the host: exact string match only
        "http://localhost:9/cb#frag",        // a fragment
        "https://localhost:9/cb",            // another scheme
        "http://evil.example/cb",            // another host
        "http://localhost:9/machine"         // registered, but for another client
    })
    void authorizeWhenRedirectUriNotRegisteredThenErrorPageNeverRedirect(String redirectUri) {
        HttpResponse<String> r = new Browser().get(request(app, "redirect_uri", redirectUri).url());
        assertErrorPage(r, 400, "authorize.redirect_uri_mismatch");
        assertThat(r.body()).doesNotContain("localhost:9");
    }

    @Test
    void authorizeWhenRegisteredRedirectUriHasQueryAndRequestDropsItThenErrorPage() {
        HttpResponse<String> r = new Browser().get(request(tenantApp, "redirect_uri", "http://localhost:9/cb").url());
        assertErrorPage(r, 400, "authorize.redirect_uri_mismatch");
    }

    @Test
    void authorizeWhenRegisteredRedirectUriHasQueryAndRequestChangesItThenErrorPage() {
        HttpResponse<String> r = new Browser().get(request(tenantApp, "redirect_uri", "http://localhost:9/cb?tenant=b").url());
        assertErrorPage(r, 400, "authorize.redirect_uri_mismatch");
    }

    @Test
    void authorizeWhenRedirectUriMissingThenErrorPage() {
        HttpResponse<String> r = new Browser().get(request(app, "redirect_uri", null).url());
        assertErrorPage(r, 400, "authorize.redirect_uri_mismatch");
    }

    @Test
    void authorizeWhenRedirectUriMismatchAndResponseTypeAlsoWrongThenErrorPageNotRedirect() {
        // The redirect URI is checked first: nothing may be redirected to an unverified URI.
        HttpResponse<String> r = new Browser().get(request(app, "redirect_uri", "http://evil.example/cb", "response_type", "token").url());
        assertErrorPage(r, 400, "authorize.redirect_uri_mismatch");
    }

    @Test
    void authorizeWhenRedirectUriRepeatedThenErrorPageInvalidRequest() {
        URI url = URI.create(request(app).url() + "&redirect_uri=" + URLEncoder.encode("http://evil.example/cb", StandardCharsets.UTF_8));
        HttpResponse<String> r = new Browser().get(url);
        assertErrorPage(r, 400, "invalid_request");
    }

    // ---- phase 2: redirected back to the verified redirect URI with state and iss

    @Test
    void authorizeWhenResponseTypeTokenThenRedirectUnsupportedResponseTypeWithStateAndIss() {
        RelyingParty.Authorization a = request(app, "response_type", "token");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "unsupported_response_type", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenResponseTypeCodeIdTokenThenRedirectUnsupportedResponseType() {
        RelyingParty.Authorization a = request(app, "response_type", "code id_token");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "unsupported_response_type", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenResponseTypeMissingThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(app, "response_type", null);
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenStateAbsentThenErrorRedirectHasNoState() {
        RelyingParty.Authorization a = request(app, "response_type", "token", "state", null);
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "unsupported_response_type", Optional.empty());
    }

    @Test
    void authorizeWhenScopeUnknownThenRedirectInvalidScope() {
        RelyingParty.Authorization a = request(app, "scope", "openid email payments");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_scope", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenScopeLacksOpenidThenRedirectInvalidScope() {
        RelyingParty.Authorization a = request(app, "scope", "profile email");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_scope", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenScopeMissingThenRedirectInvalidScope() {
        RelyingParty.Authorization a = request(app, "scope", null);
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_scope", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenScopeRepeatedThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(app);
        HttpResponse<String> r = new Browser().get(URI.create(a.url() + "&scope=openid"));
        assertErrorRedirect(r, signet, APP_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenStateRepeatedThenRedirectInvalidRequestWithoutState() {
        RelyingParty.Authorization a = request(app);
        HttpResponse<String> r = new Browser().get(URI.create(a.url() + "&state=other"));
        assertErrorRedirect(r, signet, APP_CB, "invalid_request", Optional.empty());
    }

    /** OIDC Core §3.1.2.6: each way of passing the request that Signet does not support has its own error code. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "request     | eyJhbGciOiJub25lIn0.e30.                    | request_not_supported",
            "request_uri | https://app.example/request.jwt             | request_uri_not_supported",
            "registration| {\"application_type\":\"web\"}          | registration_not_supported"})
    void authorizeWhenUnsupportedRequestParameterSentThenRedirectItsOwnErrorCode(String parameter, String value, String error) {
        RelyingParty.Authorization a = request(app, parameter, value);
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, error, Optional.of(a.state()));
    }

    @Test
    void authorizeWhenResponseModeFragmentThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(app, "response_mode", "fragment");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_request", Optional.of(a.state()));
    }

    /**
     * OAuth 2.0 Form Post Response Mode §2: the error is a page whose form posts the response to the redirect URI
     * exactly as registered (its own query kept); every value is HTML-escaped (a state is the client's text); the CSP
     * lets only the page's own script run and the form go only to that origin. (FormPostBrowserTest: in Chromium.)
     */
    @Test
    void authorizeWhenFormPostAndErrorThenPageThatPostsTheErrorToTheRedirectUri() {
        String state = "\"><script>alert(1)</script>";
        RelyingParty.Authorization a = tenantApp.authorize("email", Map.of("response_mode", "form_post", "state", state));
        HttpResponse<String> r = new Browser().get(URI.create(a.url().toString().replaceFirst("&state=[^&]*", "")
                + "&state=" + java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("script-src 'sha256-", "form-action http://localhost:9;", "default-src 'none'").doesNotContain("unsafe-inline"));
        assertThat(r.body()).contains("<form method=\"post\" action=\"http://localhost:9/cb?tenant=a\">",
                "<input type=\"hidden\" name=\"error\" value=\"invalid_scope\">",
                "<input type=\"hidden\" name=\"iss\" value=\"" + signet.issuer() + "\">",
                "<script>" + dev.signet.web.pages.FormPostView.SCRIPT + "</script>")
                // in a quoted attribute value: the quote and every < escaped (jte), so the state cannot leave it
                .contains("name=\"state\" value=\"&#34;>&lt;script>alert(1)&lt;/script>\">").doesNotContain("<script>alert(1)");
    }

    /** A native app's custom-scheme redirect URI cannot take a form's POST: invalid_request, by the usual redirect. */
    @Test
    void authorizeWhenFormPostToCustomSchemeThenRedirectInvalidRequest() {
        URI cb = URI.create("com.example.app:/oauth2redirect");
        RelyingParty.Authorization a = new RelyingParty(signet, "native", Optional.empty(), cb).authorize("openid", Map.of("response_mode", "form_post"));
        assertErrorRedirect(new Browser().get(a.url()), signet, cb, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenClientMayNotUseAuthorizationCodeThenRedirectUnauthorizedClient() {
        RelyingParty.Authorization a = request(machine);
        assertErrorRedirect(new Browser().get(a.url()), signet, MACHINE_CB, "unauthorized_client", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenPromptNoneAndNoSessionThenRedirectLoginRequiredWithStateAndIss() {
        RelyingParty.Authorization a = request(app, "prompt", "none");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "login_required", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenPromptNoneCombinedWithLoginThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(app, "prompt", "none login");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenPromptUnknownThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(app, "prompt", "sometimes");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenMaxAgeNegativeThenRedirectInvalidRequest() {
        RelyingParty.Authorization a = request(app, "max_age", "-1");
        assertErrorRedirect(new Browser().get(a.url()), signet, APP_CB, "invalid_request", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenPostedWithUnknownScopeThenRedirectInvalidScope() {
        RelyingParty.Authorization a = request(app, "scope", "openid payments");
        HttpResponse<String> r = new Browser().postForm(signet.url("/authorize"), Browser.query(a.url()));
        assertErrorRedirect(r, signet, APP_CB, "invalid_scope", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenPostedWithEmptyBodyThenErrorPageUnknownClient() {
        HttpResponse<String> r = new Browser().postForm(signet.url("/authorize"), Map.of());
        assertErrorPage(r, 400, "authorize.unknown_client");
    }

    @Test
    void authorizeWhenPostedAndNoSessionThenSignInPageNamesTheClient() {
        RelyingParty.Authorization a = request(app);
        HttpResponse<String> r = new Browser().postForm(signet.url("/authorize"), Browser.query(a.url()));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("app asks you to sign in").contains("/signin/dev");
    }

    // ---- the registered redirect URI's query is kept (RFC 6749 §3.1.2)

    @Test
    void authorizeWhenRegisteredRedirectUriHasQueryThenCodeRedirectKeepsIt() {
        RelyingParty.Authorization a = request(tenantApp);
        URI back = DevSignIn.signIn(new Browser(), a.url(), "query@example.com");
        assertThat(back.toString()).startsWith("http://localhost:9/cb?tenant=a&");
        Map<String, String> q = Browser.query(back);
        assertThat(q).containsEntry("tenant", "a").containsEntry("state", a.state())
                .containsEntry("iss", signet.issuer().toString()).containsKey("code");
        HttpResponse<String> tokens = tenantApp.exchange(q.get("code"), a.verifier());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
    }

    @Test
    void authorizeWhenRegisteredRedirectUriHasQueryThenErrorRedirectKeepsIt() {
        RelyingParty.Authorization a = request(tenantApp, "scope", "email");
        Map<String, String> q = assertErrorRedirect(new Browser().get(a.url()), signet, TENANT_CB, "invalid_scope", Optional.of(a.state()));
        assertThat(q).containsEntry("tenant", "a");
    }
}
