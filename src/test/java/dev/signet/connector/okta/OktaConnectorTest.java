package dev.signet.connector.okta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.connector.MockOidcContract;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract for {@code kind: okta} (org authorization server, moved to mock-oauth2-server), and its issuers. */
class OktaConnectorTest extends MockOidcContract {

    @Override
    protected String issuerId() {
        return "okta";
    }

    @Override
    protected String connections() {
        return """
                      - id: main
                        kind: okta
                        name: Main IdP
                        domain: example.okta.com
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${UPSTREAM}
                        timeout: 2s
                      - id: strict
                        kind: okta
                        name: Strict IdP
                        domain: example.okta.com
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${UPSTREAM}
                        iss_parameter_supported: true
                        timeout: 2s
                """;
    }

    @Test
    void presetWhenOrgOrCustomAuthorizationServerThenOktasIssuers() {
        assertThat(OktaSettings.issuer("example.okta.com", Optional.empty(), Optional.empty())).hasToString("https://example.okta.com");
        assertThat(OktaSettings.issuer("example.okta.com", Optional.of("default"), Optional.empty()))
                .hasToString("https://example.okta.com/oauth2/default");
        assertThat(OktaSettings.issuer("example.okta.com", Optional.of("aus1a2b3c"), Optional.empty()))
                .hasToString("https://example.okta.com/oauth2/aus1a2b3c");
    }
}
