package dev.signet.connector.oidc;

import dev.signet.connector.ConnectorContract;
import dev.signet.connector.fake.MockOidc;
import java.util.Map;

/**
 * The contract for {@code kind: oidc} against mock-oauth2-server: {@code main} with discovery
 * {@code auto} (mock-oauth2-server does not advertise RFC 9207 {@code iss}), {@code strict} with
 * discovery {@code manual} and {@code iss_parameter_supported: true}.
 */
class OidcConnectorTest extends ConnectorContract {

    MockOidc upstream;

    @Override
    protected void startUpstream() {
        upstream = new MockOidc("corp");
    }

    @Override
    protected void stopUpstream() {
        upstream.close();
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
                """;
    }

    @Override
    protected Map<String, String> env() {
        return Map.of("UPSTREAM", upstream.issuer("corp"));
    }

    @Override
    protected String expectedIssuer() {
        return upstream.issuer("corp");
    }

    @Override
    protected String authorizationEndpoint() {
        return upstream.issuer("corp") + "/authorize";
    }

    @Override
    protected void nextSignIn(Person p) {
        upstream.nextSignIn(p);
    }

    @Override
    protected String nextAnswerLacksRequiredField() {
        return upstream.nextTokenResponseWithoutIdToken();
    }

    @Override
    protected void failNextCall(Fault fault) {
        upstream.failNextCall(fault);
    }
}
