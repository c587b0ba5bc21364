package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.signet.harness.Browser;
import dev.signet.harness.SignetHarness;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14's pages in Chromium, for an application on another origin (the tiny app): the consent
 * page (Allow lands at the app with a code; Deny brings it {@code access_denied}) and the sign-out
 * confirmation (its POST answers with a redirect to the app's registered
 * {@code post_logout_redirect_uri}, which CSP {@code form-action} must allow or Chromium stops).
 */
class LogoutConsentBrowserTest {

    static SignetHarness signet;
    static TinyApp app;
    static Chromium chromium;
    Page page;
    @RegisterExtension
    final Chromium.OnFailure shots = new Chromium.OnFailure(() -> page);

    @BeforeAll
    static void start() {
        app = TinyApp.start();
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    display_name: Acme
                    clients:
                      - id: tiny
                        name: Tiny App
                        secret: tiny-secret-0123456789
                        redirect_uris: ["http://127.0.0.1:${APP_PORT}/cb"]
                        post_logout_redirect_uris: ["http://127.0.0.1:${APP_PORT}/bye"]
                        consent: required
                    connections:
                      - id: dev
                        kind: dev-unsafe
                        name: Dev Sign-in
                """, Map.of("APP_PORT", String.valueOf(app.port)));
        app.client(signet.issuer(), "tiny", "tiny-secret-0123456789");
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
        signet.close();
        app.close();
    }

    @BeforeEach
    void open() {
        page = chromium.newPage();
    }

    @AfterEach
    void close() {
        page.context().close();
    }

    void signInAtDevForm(String name, String email) {
        page.navigate(app.loginUrl().toString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Acme");
        page.getByText("Continue with Dev Sign-in").click();
        page.getByLabel("Name").fill(name);
        page.getByLabel("Email").fill(email);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    }

    void welcome(String name) {
        page.waitForURL(Pattern.compile("^http://127\\.0\\.0\\.1:" + app.port + "/cb\\?.*"));
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Tiny App: welcome, " + name);
    }

    @Test
    void consentAllowThenSignOutConfirmedThenBackAtTheAppSignedOut() {
        String test = "consent-logout";
        signInAtDevForm("Ada Lovelace", "ada@example.com");
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Allow Tiny App access?");
        assertThat(page.locator("#scopes")).containsText("openid");
        assertThat(page.locator("#scopes")).containsText("your email address");
        Chromium.screenshot(page, test, "1-consent");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Allow")).click();
        welcome("Ada Lovelace");
        Chromium.screenshot(page, test, "2-welcome");

        page.navigate(signet.url("/logout?" + Browser.form(Map.of("client_id", "tiny", "post_logout_redirect_uri",
                app.byeUri().toString(), "state", "st-42"))).toString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign out of Acme?");
        assertThat(page.locator("#client")).hasText("Tiny App asks to sign you out.");
        Chromium.screenshot(page, test, "3-confirm");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
        page.waitForURL(Pattern.compile("^http://127\\.0\\.0\\.1:" + app.port + "/bye\\?state=st-42$"));
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Tiny App: signed out");
        assertThat(page.locator("#state")).hasText("st-42");
        Chromium.screenshot(page, test, "4-signed-out");

        // signed out at Signet: the app's next sign-in shows the chooser; the consent is remembered
        signInAtDevForm("Ada Lovelace", "ada@example.com");
        welcome("Ada Lovelace");
    }

    @Test
    void consentDenyThenTheAppGetsAccessDenied() {
        String test = "consent-deny";
        signInAtDevForm("Bob", "bob@example.com");
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Allow Tiny App access?");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deny")).click();
        page.waitForURL(Pattern.compile("^http://127\\.0\\.0\\.1:" + app.port + "/cb\\?.*"));
        assertThat(page.locator("#error")).hasText("access_denied");
        Chromium.screenshot(page, test, "1-denied");
    }

    @Test
    void signOutWhenNobodySignedInThenSignedOutPage() {
        page.navigate(signet.url("/logout").toString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("You are signed out");
    }
}
