package dev.signet.connector.google;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.connector.MockOidcContract;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contract for {@code kind: google} (the preset moved to mock-oauth2-server with
 * {@code unsafe_endpoint_base}), and the hosted-domain restriction checked on the ID token's {@code hd}.
 */
class GoogleConnectorTest extends MockOidcContract {

    @Override
    protected String issuerId() {
        return "google";
    }

    @Override
    protected String connections() {
        return """
                      - id: main
                        kind: google
                        name: Main IdP
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${UPSTREAM}
                        timeout: 2s
                      - id: strict
                        kind: google
                        name: Strict IdP
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${UPSTREAM}
                        iss_parameter_supported: true
                        timeout: 2s
                      - id: workspace
                        kind: google
                        name: Example Workspace
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${UPSTREAM}
                        hosted_domains: [example.com]
                        timeout: 2s
                """;
    }

    @Test
    void presetWhenNoOverrideThenGooglesIssuer() {
        assertThat(GoogleSettings.ISSUER).hasToString("https://accounts.google.com");
    }

    @Test
    void signInWhenHostedDomainClaimAllowedThenSignedInAndHdWasRequested() throws Exception {
        Browser browser = new Browser();
        assertThat(Browser.query(toUpstream(browser, "workspace"))).containsEntry("hd", "example.com");
        upstreamWillSend(Map.of("hd", "example.com"));
        assertThat(signIn("workspace", person("wanda"), UnaryOperator.identity()).getSubject()).isNotBlank();
    }

    @Test
    void callbackWhenHostedDomainClaimAbsentOrOtherThenDomainDenied() {
        for (Map<String, Object> claims : java.util.List.<Map<String, Object>>of(Map.of(), Map.of("hd", "evil.example"))) {
            Browser browser = new Browser();
            upstreamWillSend(claims);
            URI callback = throughUpstream(browser, "workspace", person("dan"));
            HttpResponse<String> r = browser.get(callback);
            ErrorPage page = ErrorPage.of(r);
            assertThat(page.status()).isEqualTo(403);
            assertThat(page.reason()).as("%s", claims).isEqualTo("upstream.domain_denied");
            assertThat(page.provider()).contains("Example Workspace");
            assertThat(log.detail(page.correlationId())).contains("hosted_domains [example.com]")
                    .contains("hd '" + claims.getOrDefault("hd", "") + "'");
            assertNoSession(r);
        }
    }

    /** Extra claims of the next sign-in's ID token (used by the next {@link #nextSignIn}, then reset). */
    private void upstreamWillSend(Map<String, Object> claims) {
        hdClaims = claims;
    }

    private volatile Map<String, Object> hdClaims = Map.of();

    @Override
    protected void nextSignIn(Person p) {
        upstream.nextSignIn(p, hdClaims);
        hdClaims = Map.of();
    }
}
