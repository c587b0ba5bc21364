package dev.signet.connector.okta;

import dev.signet.config.ConnectionSettings;
import dev.signet.connector.Connector;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.oidc.IdTokenRules;
import dev.signet.connector.oidc.OidcConnector;

/** Okta as an OIDC preset: the generic {@link OidcConnector} at the preset's issuer, no extra rule. */
public final class OktaConnector {

    private OktaConnector() {}

    public static Connector open(ConnectionSettings connection, UpstreamHttp http) {
        return OidcConnector.open(connection, ((OktaSettings) connection.options()).oidc(), http, IdTokenRules.PLAIN);
    }
}
