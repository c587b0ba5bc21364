package dev.signet.connector.gitlab;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.connector.oidc.OidcSettings;
import dev.signet.tenant.Urls;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GitLab ({@code kind: gitlab}): gitlab.com, or a self-managed instance at {@code base_url}, which
 * is then also the issuer (GitLab's OIDC issuer is its external URL).
 */
public record GitLabSettings(OidcSettings oidc) implements ConnectionKinds.Options {

    public static final URI GITLAB_COM = Urls.https("gitlab.com", "");

    public static GitLabSettings read(ConfigNode n) {
        OidcSettings.allowOnly(n, Set.of("base_url"));
        OidcSettings.Client client = OidcSettings.client(n, List.of("openid", "email", "profile"));
        URI base = n.optUri("base_url").orElse(GITLAB_COM);
        String b = base.toString();
        // the issuer is the external URL exactly as GitLab writes it: no trailing slash
        return new GitLabSettings(client.auto(b.endsWith("/") ? URI.create(b.substring(0, b.length() - 1)) : base, Map.of()));
    }
}
