package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.signet.connector.ConnectorContract.Fault;
import dev.signet.connector.ConnectorContract.Person;
import dev.signet.connector.fake.MockOidc;
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
 * The hosted sign-in page in Chromium, for an application on another origin (the tiny app on
 * 127.0.0.1) with several connections: picking one, routing by a typed email address (to the dev
 * upstream and to an OIDC upstream on yet another origin, mock-oauth2-server), the notice for an
 * unrouted domain, and an upstream's error page whose "Try again" restarts the sign-in.
 */
class SignInPageBrowserTest {

    static MockOidc upstream;
    static TinyApp app;
    static SignetHarness signet;
    static Chromium chromium;
    Page page;
    @RegisterExtension
    final Chromium.OnFailure shots = new Chromium.OnFailure(() -> page);

    @BeforeAll
    static void start() {
        upstream = new MockOidc("corp");
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
                    connections:
                      - id: corp
                        kind: oidc
                        name: Corp SSO
                        issuer: ${UPSTREAM}
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                        email_domains: [corp.example]
                      - id: partner
                        kind: dev-unsafe
                        name: Partner Sign-in
                        email_domains: [partner.example]
                      - id: dev
                        kind: dev-unsafe
                        name: Dev Sign-in
                """, Map.of("APP_PORT", String.valueOf(app.port), "UPSTREAM", upstream.issuer("corp")));
        app.client(signet.issuer(), "tiny", "tiny-secret-0123456789");
        chromium = Chromium.launch();
    }

    @AfterAll
    static void stop() {
        chromium.close();
        signet.close();
        app.close();
        upstream.close();
    }

    @BeforeEach
    void open() {
        page = chromium.newPage();
    }

    @AfterEach
    void close() {
        page.context().close();
    }

    /** The tiny app sends the browser to Signet: the hosted sign-in page with every connection. */
    void chooser(String test) {
        page.navigate(app.loginUrl().toString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Acme");
        assertThat(page.getByText("Tiny App asks you to sign in.")).isVisible();
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(Pattern.compile("^Continue with ")))).hasText(
                new String[] {"Continue with Corp SSO", "Continue with Partner Sign-in", "Continue with Dev Sign-in"});
        Chromium.screenshot(page, test, "1-chooser");
    }

    void signedInAtApp(String name, String email) {
        page.waitForURL(Pattern.compile("^http://127\\.0\\.0\\.1:" + app.port + "/cb\\?.*"));
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Tiny App: welcome, " + name);
        assertThat(page.locator("#email")).hasText(email);
    }

    @Test
    void chooserWhenOneOfSeveralConnectionsPickedThenSignedInThroughIt() {
        String test = "chooser";
        chooser(test);
        page.getByText("Continue with Partner Sign-in").click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Dev sign-in");
        assertThat(page.getByText("(connection partner)")).isVisible();
        page.getByLabel("Name").fill("Pat Partner");
        page.getByLabel("Email").fill("pat@partner.example");
        Chromium.screenshot(page, test, "2-dev-form");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        signedInAtApp("Pat Partner", "pat@partner.example");
        Chromium.screenshot(page, test, "3-app");
    }

    @Test
    void emailWhenDomainRoutedToDevConnectionThenItsFormWithTheAddress() {
        String test = "email-dev";
        chooser(test);
        page.getByLabel("Work email").fill("bob@partner.example");
        Chromium.screenshot(page, test, "2-typed");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Dev sign-in");
        assertThat(page.getByText("(connection partner)")).isVisible();
        assertThat(page.getByLabel("Email")).hasValue("bob@partner.example");
        Chromium.screenshot(page, test, "3-dev-form");
        // Back leaves the upstream for the sign-in page: the page between them, which navigates on by
        // itself, is not a back-button trap (a 0 s refresh replaces its history entry)
        page.goBack();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Acme");
        page.goForward();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Dev sign-in");
        page.getByLabel("Name").fill("Bob");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        signedInAtApp("Bob", "bob@partner.example");
    }

    @Test
    void emailWhenDomainRoutedToOidcUpstreamOnAnotherOriginThenSignedInThere() {
        String test = "email-oidc";
        upstream.nextSignIn(new Person("alice-sub", "alice@corp.example", true, "Alice Corp"));
        chooser(test);
        page.getByLabel("Work email").fill("alice@corp.example");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
        signedInAtApp("Alice Corp", "alice@corp.example");
        Chromium.screenshot(page, test, "2-app");
    }

    @Test
    void emailWhenDomainNotRoutedThenChooserAgainWithNotice() {
        String test = "email-unrouted";
        chooser(test);
        page.getByLabel("Work email").fill("zoe@nowhere.example");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
        assertThat(page.getByText("No sign-in is set up for nowhere.example")).isVisible();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Acme");
        Chromium.screenshot(page, test, "2-notice");
        // the chooser still works from there
        page.getByText("Continue with Dev Sign-in").click();
        page.getByLabel("Name").fill("Zoe");
        page.getByLabel("Email").fill("zoe@nowhere.example");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        signedInAtApp("Zoe", "zoe@nowhere.example");
    }

    @Test
    void upstreamWhenTokenEndpointFailsThenErrorPageAndTryAgainSignsIn() {
        String test = "upstream-error";
        upstream.nextSignIn(new Person("dana-sub", "dana@corp.example", true, "Dana Corp"));
        upstream.failNextCall(Fault.SERVER_ERROR);
        chooser(test);
        page.getByText("Continue with Corp SSO").click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("The sign-in could not be completed");
        assertThat(page.getByText("Provider: Corp SSO")).isVisible();
        assertThat(page.locator("#reason")).hasText("upstream.unreachable");
        assertThat(page.locator("#correlation-id")).not().isEmpty();
        Chromium.screenshot(page, test, "2-error");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Try again")).click();
        signedInAtApp("Dana Corp", "dana@corp.example");
        Chromium.screenshot(page, test, "3-app");
    }
}
