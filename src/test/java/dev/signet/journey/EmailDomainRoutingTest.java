package dev.signet.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Home-realm discovery on the hosted sign-in page: connections list {@code email_domains}; an address
 * typed on the page, or an application's {@code login_hint} (OIDC Core §3.1.2.1), goes straight to
 * the connection for its domain; an explicit {@code connection} parameter wins over both.
 */
class EmailDomainRoutingTest {

    static SignetHarness signet;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: corp
                        kind: dev-unsafe
                        name: Corp SSO
                        email_domains: [corp.example, corp-mail.example]
                      - id: partner
                        kind: dev-unsafe
                        name: Partner SSO
                        email_domains: [partner.example]
                      - id: other
                        kind: dev-unsafe
                        name: Everyone else
                """);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static RelyingParty.Authorization authorize(Map<String, String> extra) {
        return new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"))
                .authorize("openid email", extra);
    }

    /** Submits the page's email form as the browser does: a POST from the page itself (same-origin). */
    static HttpResponse<String> emailForm(Browser browser, HttpResponse<String> page, String email) {
        assertThat(page.body()).contains("id=\"email-form\"").contains("method=\"post\"").contains("Continue with Everyone else");
        String pending = Browser.query(Browser.link(page.body(), "/signin/other?")).get("pending");
        return browser.send(HttpRequest.newBuilder(signet.url("/signin")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Sec-Fetch-Site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(Map.of("pending", pending, "email", email)))));
    }

    @Test
    void signInPageWhenEmailOfARoutedDomainTypedThenThatConnectionWithLoginHint() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(authorize(Map.of()).url());
        // a page that navigates on by itself, not a redirect: the chain after a form submission is held to the
        // page's CSP form-action 'self' and would leave Signet's origin (SignInPageBrowserTest shows it in Chromium)
        HttpResponse<String> next = emailForm(browser, page, "Alice@CORP-mail.example");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.headers().firstValue("Location")).isEmpty();
        assertThat(next.body()).contains("Continue to Corp SSO").containsPattern("<meta http-equiv=\"refresh\" content=\"0; url=[^\"]*/signin/corp\\?");
        URI toConnection = Browser.link(next.body(), "/signin/corp?");
        assertThat(toConnection.getPath()).isEqualTo("/signin/corp");
        assertThat(Browser.query(toConnection)).containsEntry("login_hint", "Alice@CORP-mail.example").containsKey("pending");
        // and on to the upstream (here the dev upstream), carrying the hint
        URI upstream = Browser.location(browser.get(toConnection));
        assertThat(upstream.getPath()).isEqualTo("/dev-upstream/corp");
        assertThat(Browser.query(upstream)).containsEntry("login_hint", "Alice@CORP-mail.example");
    }

    @Test
    void signInPageWhenDomainNotRoutedThenChooserAgainNamingTheDomain() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(authorize(Map.of()).url());
        // rendered in the answer to the POST: the typed text never travels in a URL (BadInputTest)
        HttpResponse<String> again = emailForm(browser, page, "zoe@nowhere.example");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("No sign-in is set up for nowhere.example").contains("Continue with Corp SSO");
    }

    @Test
    void authorizeWhenLoginHintDomainRoutedThenChooserSkipped() {
        HttpResponse<String> r = new Browser().get(authorize(Map.of("login_hint", "bob@partner.example")).url());
        URI to = Browser.location(r);
        assertThat(to.getPath()).isEqualTo("/signin/partner");
        assertThat(Browser.query(to)).containsEntry("login_hint", "bob@partner.example");
    }

    @Test
    void authorizeWhenLoginHintDomainNotRoutedThenChooser() {
        for (String hint : new String[] {"carol@elsewhere.example", "not-an-address", "@corp.example"}) {
            HttpResponse<String> r = new Browser().get(authorize(Map.of("login_hint", hint)).url());
            assertThat(r.statusCode()).as(hint).isEqualTo(200);
            assertThat(r.body()).as(hint).contains("Continue with Corp SSO");
        }
    }

    @Test
    void authorizeWhenConnectionParameterAndRoutedLoginHintThenConnectionWins() {
        URI to = Browser.location(new Browser().get(authorize(Map.of("connection", "other", "login_hint", "bob@partner.example")).url()));
        assertThat(to.getPath()).isEqualTo("/signin/other");
    }
}
