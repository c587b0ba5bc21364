package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.signet.harness.SignetHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's "Try it" as a new user does it, in Chromium: Signet's home page → "Try a sign-in"
 * (the built-in demo application, authorization code + PKCE) → the hosted sign-in page → the dev
 * form → the demo's page with the claims of the ID token it received.
 */
class DemoBrowserTest {

    static SignetHarness signet;
    static Chromium chromium;
    Page page;
    @RegisterExtension
    final Chromium.OnFailure shots = new Chromium.OnFailure(() -> page);

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    display_name: Demo Tenant
                    demo_client: true
                    connections:
                      - id: dev
                        kind: dev-unsafe
                        name: Dev Sign-in
                """);
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
        signet.close();
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
    void demoFromHomePageThroughDevFormThenClaimsPage() {
        String test = "demo";
        page.navigate(signet.url("/").toString());
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Signet is running"))).isVisible();
        assertThat(page.getByText("Unsafe dev connection enabled.")).isVisible();
        Chromium.screenshot(page, test, "1-home");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Try a sign-in")).click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Demo Tenant");
        Chromium.screenshot(page, test, "2-chooser");

        page.getByText("Continue with Dev Sign-in").click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Dev sign-in");
        page.getByLabel("Name").fill("Grace Hopper");
        page.getByLabel("Email").fill("grace@example.com");
        Chromium.screenshot(page, test, "3-dev-form");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Signed in through Signet"))).isVisible();
        assertThat(page.locator("#claims")).containsText("grace@example.com");
        assertThat(page.locator("#claims")).containsText("Grace Hopper");
        assertThat(page.locator("#claims")).containsText(signet.issuer().toString());
        Chromium.screenshot(page, test, "4-claims");

        // "Sign in again": the demo asks with prompt=login (OIDC Core §3.1.2.1), so the existing Signet
        // session is not enough and the chooser comes back; the dev form then remembers nothing
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign in again")).click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Demo Tenant");
        page.getByText("Continue with Dev Sign-in").click();
        page.getByLabel("Name").fill("Grace Hopper");
        page.getByLabel("Email").fill("grace@example.com");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Signed in through Signet"))).isVisible();
        assertThat(page.locator("#claims")).containsText("grace@example.com");
        Chromium.screenshot(page, test, "5-again");
    }

    /** The error page a person reaches by a bad sign-in link: no redirect to an unregistered URI, reason and correlation id. */
    @Test
    void authorizeWhenRedirectUriNotRegisteredThenErrorPageWithReasonAndCorrelationId() {
        String test = "unregistered-redirect";
        page.navigate(signet.url("/authorize?response_type=code&client_id=signet-demo&redirect_uri=https%3A%2F%2Fevil.example%2Fcb"
                + "&scope=openid&code_challenge=abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq&code_challenge_method=S256").toString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("This sign-in request cannot be completed");
        assertThat(page.locator("#reason")).not().isEmpty();
        assertThat(page.locator("#correlation-id")).not().isEmpty();
        assertThat(page.locator("body")).not().containsText("evil.example");
        Chromium.screenshot(page, test, "1-error");
    }
}
