package dev.signet.protocol;

import static dev.signet.protocol.ProtocolAssertions.assertErrorPage;
import static dev.signet.protocol.ProtocolAssertions.assertErrorRedirect;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Consent (OIDC Core §3.1.2.4, §3.1.2.6, §11) on the running server: {@code consent: required}
 * clients show a CSRF-protected consent page once signed in; approval is remembered per user ×
 * client × scopes (a superset asks again); {@code prompt=consent} always asks; {@code prompt=none}
 * answers {@code consent_required}, or drops {@code offline_access} when only that lacks consent;
 * deny answers {@code access_denied}. {@code consent: skip} (the default) never asks.
 */
class ConsentTest {

    static final String SECRET = "app-secret-0123456789";
    static final URI CB = URI.create("http://localhost:9/cb");

    static SignetHarness signet;
    static RelyingParty first;
    static RelyingParty third;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: first
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                      - id: third
                        name: Third Party App
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                        consent: required
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """);
        first = new RelyingParty(signet, "first", Optional.of(SECRET), CB);
        third = new RelyingParty(signet, "third", Optional.of(SECRET), CB);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    /** A browser signed in at Signet (through the first-party app, which never asks). */
    static Browser signedIn(String email) {
        Browser b = new Browser();
        Map<String, String> q = Browser.query(DevSignIn.signIn(b, first.authorize("openid", Map.of()).url(), email));
        assertThat(q).containsKey("code");
        return b;
    }

    static HttpResponse<String> answer(Browser b, HttpResponse<String> page, String decision) {
        Map<String, String> fields = new LinkedHashMap<>(Browser.query(Browser.postedForm(page)));
        fields.put("decision", decision);
        return b.send(HttpRequest.newBuilder(signet.url("/consent")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Sec-Fetch-Site", "same-origin").POST(HttpRequest.BodyPublishers.ofString(Browser.form(fields))));
    }

    static void assertConsentPage(HttpResponse<String> r, String... scopes) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).contains("Allow Third Party App access?").contains("id=\"consent-form\"");
        for (String s : scopes) {
            assertThat(r.body()).contains("<code>" + s + "</code>");
        }
        // the approval redirects to the app: CSP form-action must allow its origin, and nothing else
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(c ->
                assertThat(c).contains("form-action 'self' http://localhost:9"));
    }

    static JsonNode exchange(RelyingParty rp, RelyingParty.Authorization a, URI back) {
        HttpResponse<String> t = rp.exchange(Browser.query(back).get("code"), a.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        return RelyingParty.json(t);
    }

    @Test
    void authorizeWhenConsentSkipThenNoPageAndOfflineAccessGranted() {
        Browser b = signedIn("skip@example.com");
        RelyingParty.Authorization a = first.authorize("openid offline_access", Map.of());
        HttpResponse<String> r = b.get(a.url());
        JsonNode tokens = exchange(first, a, Browser.location(r));
        assertThat(tokens.has("refresh_token")).isTrue();
    }

    @Test
    void authorizeWhenConsentRequiredThenPageThenApproveRemembersThenSupersetAsksAgain() {
        Browser b = signedIn("remember@example.com");
        RelyingParty.Authorization a = third.authorize("openid offline_access", Map.of());
        HttpResponse<String> page = b.get(a.url());
        assertConsentPage(page, "openid", "offline_access");

        HttpResponse<String> approved = answer(b, page, "approve");
        URI back = Browser.location(approved);
        assertThat(Browser.query(back)).containsEntry("state", a.state()).containsEntry("iss", signet.issuer().toString());
        JsonNode tokens = exchange(third, a, back);
        assertThat(tokens.has("refresh_token")).as("offline_access with consent (OIDC Core §11)").isTrue();

        // remembered: the same scopes, or fewer, go straight through
        assertThat(Browser.query(Browser.location(b.get(third.authorize("openid offline_access", Map.of()).url())))).containsKey("code");
        assertThat(Browser.query(Browser.location(b.get(third.authorize("openid", Map.of()).url())))).containsKey("code");
        // a superset asks again, listing what is asked
        assertConsentPage(b.get(third.authorize("openid email", Map.of()).url()), "openid", "email");
    }

    @Test
    void authorizeWhenPromptConsentThenPageEvenIfRemembered() {
        Browser b = signedIn("prompt-consent@example.com");
        HttpResponse<String> page = b.get(third.authorize("openid", Map.of()).url());
        Browser.location(answer(b, page, "approve"));
        assertThat(Browser.query(Browser.location(b.get(third.authorize("openid", Map.of()).url())))).containsKey("code");

        assertConsentPage(b.get(third.authorize("openid", Map.of("prompt", "consent")).url()), "openid");
    }

    @Test
    void authorizeWhenPromptNoneAndNoConsentThenConsentRequired() {
        Browser b = signedIn("prompt-none@example.com");
        RelyingParty.Authorization a = third.authorize("openid", Map.of("prompt", "none"));
        assertErrorRedirect(b.get(a.url()), signet, CB, "consent_required", Optional.of(a.state()));
    }

    @Test
    void authorizeWhenPromptNoneAndOnlyOfflineAccessLacksConsentThenDroppedAndNoRefreshToken() {
        Browser b = signedIn("drop-offline@example.com");
        Browser.location(answer(b, b.get(third.authorize("openid", Map.of()).url()), "approve"));

        RelyingParty.Authorization a = third.authorize("openid offline_access", Map.of("prompt", "none"));
        JsonNode tokens = exchange(third, a, Browser.location(b.get(a.url())));
        assertThat(tokens.has("refresh_token")).isFalse();
        assertThat(tokens.path("scope").asString()).isEqualTo("openid");
    }

    @Test
    void consentWhenDeniedThenAccessDeniedToTheClientAndNothingRemembered() {
        Browser b = signedIn("deny@example.com");
        RelyingParty.Authorization a = third.authorize("openid", Map.of());
        HttpResponse<String> page = b.get(a.url());
        assertErrorRedirect(answer(b, page, "deny"), signet, CB, "access_denied", Optional.of(a.state()));
        assertConsentPage(b.get(third.authorize("openid", Map.of()).url()), "openid");
        // the waiting request is gone: answering its page again is refused
        assertErrorPage(answer(b, page, "approve"), 400, "signin.expired");
    }

    @Test
    void consentWhenAfterSignInThenPageComesFromResume() {
        Browser b = new Browser();
        RelyingParty.Authorization a = third.authorize("openid", Map.of());
        HttpResponse<String> page = DevSignIn.resumed(b, a.url(), "dev", "after-sign-in@example.com");
        assertConsentPage(page, "openid");
        exchange(third, a, Browser.location(answer(b, page, "approve")));
    }

    @Test
    void consentWhenCsrfTokenWrongOrCrossSiteThenRefused() {
        Browser b = signedIn("csrf-consent@example.com");
        HttpResponse<String> page = b.get(third.authorize("openid", Map.of()).url());
        Map<String, String> fields = new LinkedHashMap<>(Browser.query(Browser.postedForm(page)));
        fields.put("decision", "approve");
        fields.put("csrf", "guessed");
        assertErrorPage(b.postForm(signet.url("/consent"), fields), 403, "request.form_invalid");
        // another browser's page for its own session is worth nothing here
        Browser other = signedIn("csrf-consent-other@example.com");
        Map<String, String> theirs = new LinkedHashMap<>(Browser.query(Browser.postedForm(other.get(third.authorize("openid", Map.of()).url()))));
        theirs.put("decision", "approve");
        assertErrorPage(b.postForm(signet.url("/consent"), theirs), 403, "request.form_invalid");

        Map<String, String> right = new LinkedHashMap<>(Browser.query(Browser.postedForm(page)));
        right.put("decision", "approve");
        HttpResponse<String> cross = b.send(HttpRequest.newBuilder(signet.url("/consent")).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Sec-Fetch-Site", "cross-site").POST(HttpRequest.BodyPublishers.ofString(Browser.form(right))));
        assertErrorPage(cross, 403, "request.cross_site");
        assertConsentPage(b.get(third.authorize("openid", Map.of()).url()), "openid");
    }
}
