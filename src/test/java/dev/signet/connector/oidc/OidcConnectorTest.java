package dev.signet.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.connector.MockOidcContract;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contract for {@code kind: oidc} against mock-oauth2-server: {@code main} with discovery
 * {@code auto} (mock-oauth2-server does not advertise RFC 9207 {@code iss}), {@code strict} with
 * discovery {@code manual} and {@code iss_parameter_supported: true}, {@code auto-strict} with discovery
 * {@code auto} and {@code iss_parameter_supported: true} (stricter than the metadata).
 */
class OidcConnectorTest extends MockOidcContract {

    @Override
    protected String issuerId() {
        return "corp";
    }

    @Override
    protected String connections() {
        return """
                      - id: main
                        kind: oidc
                        name: Main IdP
                        issuer: ${UPSTREAM}
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                        timeout: 2s
                      - id: strict
                        kind: oidc
                        name: Strict IdP
                        issuer: ${UPSTREAM}
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: manual
                        authorization_endpoint: ${UPSTREAM}/authorize
                        token_endpoint: ${UPSTREAM}/token
                        jwks_uri: ${UPSTREAM}/jwks
                        iss_parameter_supported: true
                        timeout: 2s
                      - id: auto-strict
                        kind: oidc
                        name: Auto Strict IdP
                        issuer: ${UPSTREAM}
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                        iss_parameter_supported: true
                        timeout: 2s
                      - id: mapped
                        kind: oidc
                        name: Mapped IdP
                        issuer: ${UPSTREAM}
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                        claims:
                          subject: /employee/number
                          email: /contact/mail
                          email_verified: mail_ok
                          name: display
                      - id: posted
                        kind: oidc
                        name: Posted IdP
                        issuer: ${UPSTREAM}
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                        response_mode: form_post
                        timeout: 2s
                """;
    }

    @Override
    protected boolean formPost(String connection) {
        return connection.equals("posted");
    }

    @Test
    void signInWhenResponseModeFormPostThenUpstreamPostsCrossSiteAndSignInCompletes() throws Exception {
        String email = unique("pia") + "@example.com";
        JWTClaimsSet id = signIn("posted", new Person(unique("pia"), email, true, "Pia"), UnaryOperator.identity());
        assertThat(id.getClaims()).containsEntry("email", email).containsEntry("name", "Pia");
    }

    @Test
    void signInWhenResponseModeFormPostThenAskedForAndStateAlsoInACrossSiteCookie() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(app().authorize("openid email", Map.of()).url());
        for (String conn : new String[] {"posted", "main"}) {
            HttpResponse<String> start = browser.get(Browser.link(page.body(), "/signin/" + conn + "?"));
            boolean posted = conn.equals("posted");
            Map<String, String> asked = Browser.query(Browser.location(start));
            if (posted) {
                assertThat(asked).containsEntry("response_mode", "form_post");
            } else {
                assertThat(asked).doesNotContainKey("response_mode");
            }
            assertThat(start.headers().allValues("Set-Cookie")).as(conn).anyMatch(c -> c.startsWith("signet_upstream_state=")
                    && c.contains("SameSite=Lax"));
            if (posted) {
                assertThat(start.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("signet_upstream_state_xs=")
                        && c.contains("SameSite=None") && c.contains("Secure") && c.contains("HttpOnly"));
            } else { // a query-mode connection never loosens its cookie
                assertThat(start.headers().allValues("Set-Cookie")).noneMatch(c -> c.contains("SameSite=None"));
            }
        }
    }

    @Test
    void callbackWhenPostedWithoutTheStateCookieThenStateMismatch() {
        Browser browser = new Browser();
        URI callback = throughUpstream(browser, "posted", person("nia"));
        HttpResponse<String> r = deliver(new Browser(), callback); // the same answer, posted from a browser without the cookie
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).isEqualTo(400);
        assertThat(page.reason()).isEqualTo("upstream.state_mismatch");
        assertNoSession(r);
    }

    @Test
    void callbackWhenPostedToAQueryModeConnectionThenBadResponse() {
        Browser browser = new Browser();
        URI callback = throughUpstream(browser, "main", person("pete"));
        String s = callback.toString();
        HttpResponse<String> r = browser.postForm(URI.create(s.substring(0, s.indexOf('?'))), Browser.query(callback));
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.reason()).isEqualTo("upstream.bad_response");
        assertThat(log.detail(page.correlationId())).contains("form POST").contains("query response mode");
        assertNoSession(r);
    }

    @Test
    void signInWhenClaimsMappedThenIdentityFromTheMappedClaims() throws Exception {
        String mail = unique("dee") + "@corp.example";
        Map<String, Object> claims = Map.of("employee", Map.of("number", 4711), "contact", Map.of("mail", mail), "mail_ok", "true",
                "display", "Dee Mapped");
        JWTClaimsSet first = signIn("mapped", new Person(unique("sub"), "ignored@example.com", false, "Ignored", claims),
                UnaryOperator.identity());
        assertThat(first.getClaims()).containsEntry("email", mail).containsEntry("email_verified", true).containsEntry("name", "Dee Mapped");
        // the subject is the mapped claim: another upstream "sub" with the same employee number is the same user
        JWTClaimsSet again = signIn("mapped", new Person(unique("sub"), "ignored@example.com", false, "Ignored", claims),
                UnaryOperator.identity());
        assertThat(again.getSubject()).isEqualTo(first.getSubject());
    }

    @Test
    void callbackWhenMappedSubjectHasWrongTypeThenFieldInvalidNamingIt() {
        Browser browser = new Browser();
        URI callback = throughUpstream(browser, "mapped", new Person(unique("sub"), "x@example.com", true, "X",
                Map.of("employee", Map.of("number", Map.of("not", "a string")))));
        HttpResponse<String> r = browser.get(callback);
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.reason()).isEqualTo("upstream.field_invalid");
        assertThat(log.detail(page.correlationId())).contains("connection 'mapped'").contains("'/employee/number'");
        assertNoSession(r);
    }

    @Test
    void callbackWhenDiscoveryAutoAndConfigRequiresIssButItIsAbsentThenIssuerMissing() throws Exception {
        // the metadata does not advertise iss; iss_parameter_supported: true makes Signet require it anyway
        Browser browser = new Browser();
        URI fromUpstream = throughUpstream(browser, "auto-strict", person("ada"));
        HttpResponse<String> r = browser.get(withIss(fromUpstream, Optional.empty()));
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).isEqualTo(502);
        assertThat(page.reason()).isEqualTo("upstream.issuer_missing");
        assertThat(page.provider()).contains("Auto Strict IdP");
        assertNoSession(r);
        // with the issuer on the callback the same connection signs in
        String email = unique("ada") + "@example.com";
        JWTClaimsSet id = signIn("auto-strict", new Person(unique("ada"), email, true, "Ada"), u -> withIss(u, Optional.of(expectedIssuer())));
        assertThat(id.getStringClaim("email")).isEqualTo(email);
    }

    static ConfigException refused(String connection) {
        String yaml = SignetHarness.server() + """
                tenants:
                  - name: default
                    connections:
                """ + connection;
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> Signet.configLoader(Map.of("PORT", "8080", "DATA", "/tmp/unused")).parse(yaml, "test.yaml"));
        assertThat(e).as("expected the configuration to be refused").isNotNull();
        return e;
    }

    @Test
    void configWhenDiscoveryAutoAndIssParameterSupportedFalseThenRefused() {
        ConfigException e = refused("""
                      - id: corp
                        kind: oidc
                        issuer: https://idp.example
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                        iss_parameter_supported: false
                """);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("tenants[0].connections[0].iss_parameter_supported");
            assertThat(p.message()).contains("only 'true'");
        });
    }

    @Test
    void configWhenDiscoveryManualWithoutIssParameterSupportedThenRefused() {
        ConfigException e = refused("""
                      - id: corp
                        kind: oidc
                        issuer: https://idp.example
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: manual
                        authorization_endpoint: https://idp.example/authorize
                        token_endpoint: https://idp.example/token
                        jwks_uri: https://idp.example/jwks
                """);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("tenants[0].connections[0].iss_parameter_supported");
            assertThat(p.message()).contains("is required with discovery: manual");
        });
    }

    @Test
    void configWhenClaimsRequiredHasAnEmptyEntryThenRefusedNamingIt() {
        ConfigException e = refused("""
                      - id: corp
                        kind: oidc
                        issuer: https://idp.example
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                        claims:
                          required: [email_verified, ""]
                """);
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("tenants[0].connections[0].claims.required");
            assertThat(p.message()).contains("not empty");
        });
    }
}
