package dev.signet.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The device verification page (RFC 8628 §3.3) in Chromium, as a person uses it: open the
 * verification URI from the TV, check the code, Continue, sign in through the dev connection,
 * "Device connected"; the TV's next poll gets tokens. And the other way: a mistyped code, then Deny.
 * Chromium enforces the pages' CSP (form-action), which the HTTP-level suite cannot see.
 */
class DeviceBrowserTest {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:device_code";
    static SignetHarness signet;
    static Chromium chromium;
    static final Browser http = new Browser();
    Page page;
    @RegisterExtension
    final Chromium.OnFailure shots = new Chromium.OnFailure(() -> page);

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    display_name: Device Tenant
                    clients:
                      - id: tv
                        name: Living Room TV
                        public: true
                        grant_types: [urn:ietf:params:oauth:grant-type:device_code]
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

    static HttpResponse<String> post(String path, Map<String, String> form) {
        return http.send(HttpRequest.newBuilder(signet.url(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(form))));
    }

    static JsonNode deviceAuthorization() {
        HttpResponse<String> r = post("/device_authorization", Map.of("client_id", "tv", "scope", "openid email"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }

    static HttpResponse<String> poll(JsonNode d) {
        signet.clock.advance(Duration.ofSeconds(5));
        return post("/token", Map.of("grant_type", GRANT, "client_id", "tv", "device_code", d.path("device_code").asString()));
    }

    @Test
    void deviceWhenPersonConfirmsAndSignsInThroughDevFormThenDeviceConnectedAndTvGetsTokens() {
        String test = "device";
        JsonNode d = deviceAuthorization();
        String code = d.path("user_code").asString();
        page.navigate(d.path("verification_uri_complete").asString());
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Connect a device");
        assertThat(page.getByLabel("Code")).hasValue(code);
        Chromium.screenshot(page, test, "1-code");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();

        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in on a device?");
        assertThat(page.locator("#confirm-code")).hasText(code);
        assertThat(page.getByText("Living Room TV")).isVisible();
        Chromium.screenshot(page, test, "2-confirm");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();

        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Sign in to Device Tenant");
        assertThat(poll(d).body()).contains("authorization_pending");
        page.getByText("Continue with Dev Sign-in").click();
        page.getByLabel("Name").fill("Tv Owner");
        page.getByLabel("Email").fill("owner@example.com");
        Chromium.screenshot(page, test, "3-dev-form");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();

        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Device connected");
        Chromium.screenshot(page, test, "4-connected");
        HttpResponse<String> tokens = poll(d);
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(RelyingParty.json(tokens).path("id_token").asString()).isNotEmpty();
        signet.clock.advance(Duration.ofSeconds(-10));
    }

    @Test
    void deviceWhenCodeMistypedThenClearErrorAndWhenDeniedThenTvGetsAccessDenied() {
        String test = "device-deny";
        JsonNode d = deviceAuthorization();
        page.navigate(signet.url("/device").toString());
        page.getByLabel("Code").fill("BBBB-BBBB");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
        assertThat(page.locator("#device-error")).containsText("That code is not valid");
        Chromium.screenshot(page, test, "1-mistyped");

        page.getByLabel("Code").fill(d.path("user_code").asString().toLowerCase());
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Continue")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Deny")).click();
        assertThat(page.getByRole(AriaRole.HEADING)).hasText("Request denied");
        Chromium.screenshot(page, test, "2-denied");
        assertThat(poll(d).body()).contains("access_denied");
        signet.clock.advance(Duration.ofSeconds(-5));
    }
}
