package dev.signet.connector.entra;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.connector.ConnectorContract;
import dev.signet.connector.fake.EntraFake;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contract for {@code kind: entra} (single tenant) against {@link EntraFake}, which signs its
 * own tokens; then multi-tenant: tokens from two allowed tenants accepted, one outside the
 * allow-list refused, a token whose {@code iss} does not match its {@code tid} refused; and key
 * rotation: a token signed with a new {@code kid} makes Signet fetch the JWKS once more.
 */
class EntraConnectorTest extends ConnectorContract {

    static final String TENANT_A = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    static final String TENANT_B = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";
    static final String TENANT_C = "0b0b0b0b-1111-2222-3333-444455556666";

    EntraFake entra;
    volatile String nextTenant = TENANT_A;

    @Override
    protected void startUpstream() {
        entra = new EntraFake();
    }

    @Override
    protected void stopUpstream() {
        entra.close();
    }

    static String connection(String id, String name, String tenant, String more) {
        return """
                      - id: %s
                        kind: entra
                        name: %s
                        tenant: %s
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${ENTRA}
                        timeout: 2s
                """.formatted(id, name, tenant) + more;
    }

    @Override
    protected String connections() {
        return connection("main", "Main IdP", TENANT_A, "")
                + connection("strict", "Strict IdP", TENANT_A, "        iss_parameter_supported: true\n")
                + connection("partners", "Partner directories", "organizations",
                        "        allowed_tenants: [" + TENANT_A + ", " + TENANT_B + "]\n")
                + connection("anyone", "Any Microsoft account", "common", "")
                + connection("rotating", "Rotating", TENANT_A, "");
    }

    @Override
    protected Map<String, String> env() {
        return Map.of("ENTRA", entra.base());
    }

    @Override
    protected String expectedIssuer() {
        return entra.base() + "/" + TENANT_A + "/v2.0";
    }

    @Override
    protected String authorizationEndpoint() {
        return entra.base() + "/";
    }

    @Override
    protected void nextSignIn(Person p) {
        entra.nextSignIn(p, nextTenant);
        nextTenant = TENANT_A;
    }

    @Override
    protected String nextAnswerLacksRequiredField() {
        return entra.nextTokenResponseWithoutIdToken();
    }

    @Override
    protected void failNextCall(Fault fault) {
        entra.failNextTokenRequest(fault);
    }

    @Test
    void multiTenantWhenTokensFromTwoAllowedTenantsThenBothValidated() throws Exception {
        nextTenant = TENANT_A;
        JWTClaimsSet a = signIn("partners", person("anna"), UnaryOperator.identity());
        nextTenant = TENANT_B;
        // an RFC 9207 iss naming the real tenant matches the multi-tenant template
        JWTClaimsSet b = signIn("partners", person("bert"), u -> withIss(u, Optional.of(entra.base() + "/" + TENANT_B + "/v2.0")));
        assertThat(a.getSubject()).isNotBlank().isNotEqualTo(b.getSubject());
    }

    @Test
    void multiTenantWhenTenantOutsideAllowListThenTenantDenied() {
        nextTenant = TENANT_C;
        Browser browser = new Browser();
        URI callback = throughUpstream(browser, "partners", person("carl"));
        HttpResponse<String> r = browser.get(callback);
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.reason()).isEqualTo("upstream.tenant_denied");
        assertThat(page.provider()).contains("Partner directories");
        assertThat(log.detail(page.correlationId())).contains("tid '" + TENANT_C + "'");
        assertNoSession(r);
    }

    @Test
    void multiTenantWhenIssuerIsNotTheTokensOwnTenantThenIdTokenInvalid() {
        nextTenant = TENANT_C;
        Browser browser = new Browser();
        URI toUpstream = toUpstream(browser, "anyone");
        nextSignIn(person("mallory"));
        nextTenantIssuer(entra.base() + "/" + TENANT_A + "/v2.0"); // tid C, iss A
        HttpResponse<String> r = browser.get(Browser.location(browser.get(toUpstream)));
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.reason()).isEqualTo("upstream.id_token_invalid");
        assertThat(log.detail(page.correlationId())).contains("iss");
        assertNoSession(r);
    }

    @Test
    void singleTenantWhenTokenFromAnotherTenantThenIdTokenInvalid() {
        nextTenant = TENANT_B;
        Browser browser = new Browser();
        HttpResponse<String> r = browser.get(throughUpstream(browser, "main", person("olaf")));
        assertThat(ErrorPage.of(r).reason()).isEqualTo("upstream.id_token_invalid");
        assertNoSession(r);
    }

    @Test
    void commonWhenAnyTenantThenSignedIn() throws Exception {
        nextTenant = TENANT_C;
        assertThat(signIn("anyone", person("cleo"), UnaryOperator.identity()).getSubject()).isNotBlank();
    }

    @Test
    void signInWhenUpstreamRotatesItsKeyThenJwksFetchedOnceMoreAndSignInWorks() throws Exception {
        signIn("rotating", person("rita"), UnaryOperator.identity());
        int before = entra.jwksFetches();
        signIn("rotating", person("rita2"), UnaryOperator.identity()); // cached keys: no fetch
        assertThat(entra.jwksFetches()).isEqualTo(before);

        entra.rotateKey();
        assertThat(signIn("rotating", person("rolf"), UnaryOperator.identity()).getSubject()).isNotBlank();
        assertThat(entra.jwksFetches()).isEqualTo(before + 1);
    }

    private void nextTenantIssuer(String iss) {
        entra.nextIssuer(iss);
    }
}
