package dev.signet.connector.oauth2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.connector.ConnectorContract;
import dev.signet.connector.fake.OAuth2Fake;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contract for {@code kind: oauth2} against {@link OAuth2Fake}, whose profile is nested JSON
 * mapped by JSON pointer; plus the RFC 9207 settings that have no default.
 */
class OAuth2ConnectorTest extends ConnectorContract {

    static final String ISSUER = "https://auth.acme.example";
    OAuth2Fake upstream;

    @Override
    protected void startUpstream() {
        upstream = new OAuth2Fake();
    }

    @Override
    protected void stopUpstream() {
        upstream.close();
    }

    static String connection(String id, String name, String issLines) {
        return """
                      - id: %s
                        kind: oauth2
                        name: %s
                        client_id: signet
                        client_secret: upstream-secret
                        authorization_endpoint: ${UPSTREAM}/authorize
                        token_endpoint: ${UPSTREAM}/token
                        userinfo_endpoint: ${UPSTREAM}/api/me
                        scopes: [profile]
                        timeout: 2s
                        userinfo_mapping:
                          subject: /data/id
                          email: /data/attributes/mail
                          email_verified: /data/attributes/mail_confirmed
                          name: /data/attributes/display_name
                          picture: /data/attributes/avatar
                """.formatted(id, name) + issLines;
    }

    @Override
    protected String connections() {
        return connection("main", "Main IdP", """
                        issuer: %s
                        iss_parameter_supported: false
                """.formatted(ISSUER)) + connection("strict", "Strict IdP", """
                        issuer: %s
                        iss_parameter_supported: true
                """.formatted(ISSUER)) + connection("bare", "Bare IdP", """
                        iss_parameter_supported: false
                """);
    }

    @Override
    protected Map<String, String> env() {
        return Map.of("UPSTREAM", upstream.base());
    }

    @Override
    protected String expectedIssuer() {
        return ISSUER;
    }

    @Override
    protected String authorizationEndpoint() {
        return upstream.base() + "/authorize";
    }

    @Override
    protected void nextSignIn(Person p) {
        upstream.nextSignIn(p);
    }

    @Override
    protected String nextAnswerLacksRequiredField() {
        return upstream.nextProfileLacksId();
    }

    @Override
    protected void failNextCall(Fault fault) {
        upstream.failNextTokenRequest(fault);
    }

    @Test
    void callbackWhenNoIssuerConfiguredThenAbsentIssAcceptedAndAnyIssRefusedNamingIt() throws Exception {
        JWTClaimsSet id = signIn("bare", person("bea"), UnaryOperator.identity());
        assertThat(id.getSubject()).isNotBlank();

        Browser browser = new Browser();
        URI callback = throughUpstream(browser, "bare", person("ben"));
        HttpResponse<String> r = browser.get(withIss(callback, Optional.of("https://auth.acme.example")));
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.reason()).isEqualTo("upstream.issuer_mismatch");
        assertThat(log.detail(page.correlationId())).contains("no issuer configured").contains("received 'https://auth.acme.example'");
    }

    @Test
    void configWhenIssParameterNotStatedOrIssuerMissingThenRefusedNamingTheKey() {
        String base = """
                tenants:
                  - name: default
                    connections:
                      - id: acme
                        kind: oauth2
                        client_id: signet
                        client_secret: s
                        authorization_endpoint: https://acme.example/authorize
                        token_endpoint: https://acme.example/token
                        userinfo_endpoint: https://acme.example/me
                """;
        assertThatThrownBy(() -> Signet.configLoader(Map.of()).parse(base, "x.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenants[0].connections[0].iss_parameter_supported: is required")
                .hasMessageContaining("tenants[0].connections[0].userinfo_mapping.subject: is required");
        assertThatThrownBy(() -> Signet.configLoader(Map.of()).parse(base + """
                        iss_parameter_supported: true
                        userinfo_mapping: {subject: /id}
                """, "x.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tenants[0].connections[0].issuer: is required with iss_parameter_supported: true");
    }
}
