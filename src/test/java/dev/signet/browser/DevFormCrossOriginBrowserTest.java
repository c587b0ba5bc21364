package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
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
 * Issue 11, defect 9: the dev connection signs a user in to an application on ANOTHER origin from a
 * real browser. The dev form's CSP {@code form-action} also governs the redirects after the POST
 * ({@code /callback/dev} → the app; through {@code /authorize/resume} before issue 16), so with {@code form-action 'self'}
 * Chromium stopped at the app's origin and the click seemed to do nothing. HTTP-level tests cannot
 * see this; only a browser enforces CSP.
 */
class DevFormCrossOriginBrowserTest {

    static TinyApp app;
    static SignetHarness signet;
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
                    display_name: Cross-origin Tenant
                    clients:
                      - id: tiny
                        name: Tiny App
                        secret: tiny-secret-0123456789
                        redirect_uris: ["http://127.0.0.1:${APP_PORT}/cb"]
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

    @Test
    void devFormWhenAppOnAnotherOriginThenOneClickReachesTheAppSignedIn() {
        String test = "cross-origin";
        assertThat(signet.issuer().getHost()).as("Signet and the app are on different origins").isEqualTo("localhost");
        page.navigate(app.loginUrl().toString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Cross-origin Tenant");
        assertThat(page.getByText("Tiny App asks you to sign in.")).isVisible();
        Chromium.screenshot(page, test, "1-chooser");
        page.getByText("Continue with Dev Sign-in").click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Dev sign-in"))).isVisible();
        Chromium.screenshot(page, test, "2-dev-form");

        page.getByLabel("Name").fill("Ada Lovelace");
        page.getByLabel("Email").fill("ada@example.com");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        page.waitForURL(Pattern.compile("^http://127\\.0\\.0\\.1:" + app.port + "/cb\\?.*"));
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Tiny App: welcome, Ada Lovelace");
        assertThat(page.locator("#email")).hasText("ada@example.com");
        Chromium.screenshot(page, test, "3-app-signed-in");

        // Back to the dev form of the finished sign-in: no form to submit twice, no state_mismatch
        page.goBack();
        Chromium.screenshot(page, test, "4-back");
        assertThat(page.locator("body")).not().containsText("state_mismatch");
        assertThat(page.locator("body")).containsText("already signed in");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))).hasCount(0);
    }

    /** The "second click" of the defect report: a double click on Sign in still ends at the app, signed in. */
    @Test
    void devFormWhenSignInDoubleClickedThenAppSignedInNotStateMismatch() {
        String test = "cross-origin-double-click";
        page.navigate(app.loginUrl().toString());
        page.getByText("Continue with Dev Sign-in").click();
        page.getByLabel("Name").fill("Double Click");
        page.getByLabel("Email").fill("double@example.com");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).dblclick();
        page.waitForURL(Pattern.compile("^http://127\\.0\\.0\\.1:" + app.port + "/cb\\?.*"));
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Tiny App: welcome, Double Click");
        Chromium.screenshot(page, test, "1-app");
    }
}
