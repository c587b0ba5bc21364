package dev.signet.connector.google;

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
 * Google ({@code kind: google}): the OIDC preset with issuer {@code https://accounts.google.com}
 * and, optionally, {@code hosted_domains}: Google Workspace domains whose accounts may sign in. The
 * {@code hd} request parameter only preselects accounts at Google; the ID token's {@code hd} claim is
 * what is checked.
 */
public record GoogleSettings(OidcSettings oidc, Set<String> hostedDomains) implements ConnectionKinds.Options {

    public static final URI ISSUER = Urls.https("accounts.google.com", "");

    public GoogleSettings {
        hostedDomains = Set.copyOf(hostedDomains);
    }

    public static GoogleSettings read(ConfigNode n) {
        return read(n, Optional.empty());
    }

    /** With {@code endpointBase}: the issuer, and with it every endpoint, is there instead of Google (tests: a fake). */
    public static GoogleSettings read(ConfigNode n, Optional<URI> endpointBase) {
        OidcSettings.allowOnly(n, Set.of("hosted_domains"));
        OidcSettings.Client client = OidcSettings.client(n, List.of("openid", "email", "profile"));
        List<String> domains = n.strings("hosted_domains");
        // Google's hd parameter: one domain preselects it; "*" asks for any Workspace account
        Map<String, String> hd = domains.isEmpty() ? Map.of() : Map.of("hd", domains.size() == 1 ? domains.getFirst() : "*");
        return new GoogleSettings(client.auto(endpointBase.orElse(ISSUER), hd), Set.copyOf(domains));
    }
}
