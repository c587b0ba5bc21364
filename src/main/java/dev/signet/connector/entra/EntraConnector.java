package dev.signet.connector.entra;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.CallbackCheck;
import dev.signet.connector.Connector;
import dev.signet.connector.UpstreamFields;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.oidc.IdTokenRules;
import dev.signet.connector.oidc.OidcConnector;

/**
 * Microsoft Entra ID as an OIDC preset: the generic {@link OidcConnector} with Entra's issuer rules.
 * Multi-tenant ({@code common}, {@code organizations}): the expected issuer of each ID token is
 * {@code https://login.microsoftonline.com/{tid}/v2.0} with {@code tid} from that token, and the
 * signature, audience, nonce and that issuer are then validated as usual; with
 * {@code allowed_tenants}, a validated token from another tenant is refused
 * ({@code upstream.tenant_denied}). Single tenant: one fixed issuer.
 */
public final class EntraConnector {

    private EntraConnector() {}

    public static Connector open(ConnectionSettings connection, UpstreamHttp http) {
        EntraSettings s = (EntraSettings) connection.options();
        return OidcConnector.open(connection, s.oidc(), http, new Rules(connection.id(), s));
    }

    private record Rules(String connection, EntraSettings settings) implements IdTokenRules {

        @Override
        public String metadataIssuer(String configured) {
            return settings.metadataIssuer();
        }

        @Override
        public String tokenIssuer(String configured, UpstreamFields claims) {
            if (!settings.multiTenant()) {
                return settings.metadataIssuer();
            }
            String tid = claims.string("tid");
            if (!EntraSettings.GUID.matcher(tid).matches()) {
                throw claims.invalid("tid", "a tenant id (GUID)");
            }
            return settings.issuerOf(tid);
        }

        @Override
        public void check(UpstreamFields claims) {
            if (settings.allowedTenants().isEmpty()) {
                return;
            }
            String tid = claims.string("tid");
            if (settings.allowedTenants().stream().noneMatch(tid::equalsIgnoreCase)) {
                throw UpstreamException.of(Reason.UPSTREAM_TENANT_DENIED, connection,
                        "Your organisation's directory is not allowed to sign in here.",
                        "ID token tid '" + CallbackCheck.printable(tid) + "' is not in allowed_tenants " + settings.allowedTenants());
            }
        }
    }
}
