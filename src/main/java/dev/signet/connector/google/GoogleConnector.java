package dev.signet.connector.google;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.CallbackCheck;
import dev.signet.connector.Connector;
import dev.signet.connector.UpstreamFields;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.oidc.IdTokenRules;
import dev.signet.connector.oidc.OidcConnector;
import java.util.Set;

/**
 * Google as an OIDC preset: the generic {@link OidcConnector} plus two rules. Google documents that
 * an ID token's {@code iss} is {@code https://accounts.google.com} or {@code accounts.google.com};
 * both are accepted (and nothing else). With {@code hosted_domains}, the validated token's {@code hd}
 * claim must be one of them: a personal account has no {@code hd} and is refused.
 */
public final class GoogleConnector {

    private GoogleConnector() {}

    public static Connector open(ConnectionSettings connection, UpstreamHttp http) {
        GoogleSettings s = (GoogleSettings) connection.options();
        return OidcConnector.open(connection, s.oidc(), http, new Rules(connection.id(), s.hostedDomains()));
    }

    private record Rules(String connection, Set<String> hostedDomains) implements IdTokenRules {

        @Override
        public String tokenIssuer(String configured, UpstreamFields claims) {
            boolean bare = configured.equals(GoogleSettings.ISSUER.toString()) && claims.optString("iss").filter("accounts.google.com"::equals).isPresent();
            return bare ? "accounts.google.com" : configured;
        }

        @Override
        public void check(UpstreamFields claims) {
            if (hostedDomains.isEmpty()) {
                return;
            }
            String hd = claims.optString("hd").orElse("");
            if (hostedDomains.stream().noneMatch(hd::equalsIgnoreCase)) {
                throw UpstreamException.of(Reason.UPSTREAM_DOMAIN_DENIED, connection,
                        "This Google account does not belong to a domain allowed to sign in here.",
                        "ID token hd '" + CallbackCheck.printable(hd) + "' is not in hosted_domains " + hostedDomains);
            }
        }
    }
}
