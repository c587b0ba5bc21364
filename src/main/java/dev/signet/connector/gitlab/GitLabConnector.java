package dev.signet.connector.gitlab;

import dev.signet.config.ConnectionSettings;
import dev.signet.connector.Connector;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.oidc.IdTokenRules;
import dev.signet.connector.oidc.OidcConnector;

/** GitLab as an OIDC preset: the generic {@link OidcConnector} at gitlab.com or {@code base_url}. */
public final class GitLabConnector {

    private GitLabConnector() {}

    public static Connector open(ConnectionSettings connection, UpstreamHttp http) {
        return OidcConnector.open(connection, ((GitLabSettings) connection.options()).oidc(), http, IdTokenRules.PLAIN);
    }
}
