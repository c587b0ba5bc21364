package dev.signet.connector.okta;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.connector.oidc.OidcSettings;
import dev.signet.tenant.Urls;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Okta ({@code kind: okta}) from the Okta {@code domain}: the org authorization server (issuer
 * {@code https://{domain}}) or, with {@code authorization_server} ({@code default} or an id), a
 * custom one (issuer {@code https://{domain}/oauth2/{id}}).
 */
public record OktaSettings(OidcSettings oidc) implements ConnectionKinds.Options {

    public static OktaSettings read(ConfigNode n) {
        return read(n, Optional.empty());
    }

    /** With {@code endpointBase} in place of {@code https://{domain}} (tests: a fake). */
    public static OktaSettings read(ConfigNode n, Optional<URI> endpointBase) {
        OidcSettings.allowOnly(n, Set.of("domain", "authorization_server"));
        OidcSettings.Client client = OidcSettings.client(n, List.of("openid", "email", "profile"));
        String domain = n.string("domain");
        if (!domain.isEmpty() && !domain.matches("[A-Za-z0-9.-]+")) {
            n.problem("domain", "must be the Okta host name such as example.okta.com (no scheme, no path), got '" + domain + "'");
            domain = "invalid.invalid";
        }
        Optional<String> server = n.optString("authorization_server");
        if (server.isPresent() && !server.get().matches("[A-Za-z0-9_-]+")) {
            n.problem("authorization_server", "must be 'default' or an authorization server id, got '" + server.get() + "'");
            server = Optional.empty();
        }
        return new OktaSettings(client.auto(issuer(domain.isEmpty() ? "invalid.invalid" : domain, server, endpointBase),
                Map.of()));
    }

    /** The org authorization server's issuer, or a custom authorization server's. */
    public static URI issuer(String domain, Optional<String> server, Optional<URI> base) {
        URI org = base.orElse(Urls.https(domain, ""));
        return server.map(s -> Urls.upstream(org, "/oauth2/" + s)).orElse(org);
    }
}
