package dev.signet.connector.oidc;

import dev.signet.connector.MockOidcContract;

/**
 * The contract for {@code kind: oidc} against mock-oauth2-server: {@code main} with discovery
 * {@code auto} (mock-oauth2-server does not advertise RFC 9207 {@code iss}), {@code strict} with
 * discovery {@code manual} and {@code iss_parameter_supported: true}.
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
                """;
    }
}
