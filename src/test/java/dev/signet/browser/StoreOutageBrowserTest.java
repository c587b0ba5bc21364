package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.StoreFaults;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DESIGN.md failure policy, row "store — down for seconds", as a person sees it in Chromium: the
 * application sends them to Signet while the database is down, they get "Please try again" with a
 * button (503, {@code store.unavailable}); once the store is back, the button continues the sign-in.
 */
class StoreOutageBrowserTest {

    static TinyApp app;
    static SignetHarness signet;
    static Chromium chromium;
    Page page;
    @RegisterExtension
    final Chromium.OnFailure shots = new Chromium.OnFailure(() -> page);

    @BeforeAll
    static void start() {
        app = TinyApp.start();
        signet = SignetHarness.start(SignetHarness.server().replace("dir: ${DATA}", "dir: ${DATA}\n  timeout: 300ms") + """
                tenants:
                  - name: default
                    display_name: Outage Tenant
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
        signet.storeFaults.heal();
        page.context().close();
    }

    @Test
    void signInWhenStoreDownThenRetryPageAndTryAgainAfterRecoveryContinues() {
        String test = "store-outage";
        signet.storeFaults.fail(StoreFaults.Scope.ALL);
        page.navigate(app.loginUrl().toString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Please try again");
        assertThat(page.locator("#reason")).hasText("store.unavailable");
        assertThat(page.locator("#correlation-id")).not().isEmpty();
        Chromium.screenshot(page, test, "1-retry-page");

        // still down: Try again shows the same page, nothing breaks
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Try again")).click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Please try again");

        signet.storeFaults.heal();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Try again")).click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Outage Tenant");
        Chromium.screenshot(page, test, "2-after-recovery");
        page.getByText("Continue with Dev Sign-in").click();
        page.getByLabel("Name").fill("Olga");
        page.getByLabel("Email").fill("olga@example.com");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        page.waitForURL(Pattern.compile("^http://127\\.0\\.0\\.1:" + app.port + "/cb\\?.*"));
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Tiny App: welcome, Olga");
        Chromium.screenshot(page, test, "3-app");
    }
}
