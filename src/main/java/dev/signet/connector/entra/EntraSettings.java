package dev.signet.connector.entra;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.connector.ClaimMapping;
import dev.signet.connector.IssuerExpectation;
import dev.signet.connector.oidc.OidcSettings;
import dev.signet.tenant.Urls;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Microsoft Entra ID ({@code kind: entra}), v2.0 endpoints at {@code https://login.microsoftonline.com}.
 * {@code tenant} is required: {@code common} (work, school and personal accounts),
 * {@code organizations} (work and school), {@code consumers} (personal), or a tenant id (GUID).
 *
 * <p>Issuers (learn.microsoft.com, "Microsoft identity platform ID tokens"): a single tenant's is
 * {@code https://login.microsoftonline.com/{tenant id}/v2.0}; personal accounts come from the tenant
 * {@value #CONSUMERS_TENANT}; the multi-tenant metadata names the template
 * {@code …/{tenantid}/v2.0}, and each token's issuer is checked against its own {@code tid}, optionally
 * restricted by {@code allowed_tenants}. The {@code email} claim is not verified by Entra; it counts
 * as verified only with {@code xms_edov: true} (the domain owner verified it).
 */
public record EntraSettings(OidcSettings oidc, URI base, String tenant, Set<String> allowedTenants) implements ConnectionKinds.Options {

    public static final String CONSUMERS_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
    static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    static final ClaimMapping CLAIMS = new ClaimMapping("sub", Optional.of("email"), Optional.of("xms_edov"), Optional.of("name"),
            Optional.empty());

    public EntraSettings {
        allowedTenants = Set.copyOf(allowedTenants);
    }

    public boolean multiTenant() {
        return tenant.equals("common") || tenant.equals("organizations");
    }

    /** The issuer of tokens from tenant {@code tid}. */
    public String issuerOf(String tid) {
        return Urls.upstream(base, "/" + tid + "/v2.0").toString();
    }

    /** What the metadata (and an RFC 9207 {@code iss}) names: the template for multi-tenant. */
    public String metadataIssuer() {
        if (multiTenant()) { // java.net.URI would percent-encode the braces of the template
            return issuerOf("tenantid").replace("/tenantid/", "/" + IssuerExpectation.TENANT + "/");
        }
        return issuerOf(tenant.equals("consumers") ? CONSUMERS_TENANT : tenant);
    }

    public static EntraSettings read(ConfigNode n) {
        return read(n, Optional.empty());
    }

    /** With {@code endpointBase} in place of {@code https://login.microsoftonline.com} (tests: a fake). */
    public static EntraSettings read(ConfigNode n, Optional<URI> endpointBase) {
        OidcSettings.allowOnly(n, Set.of("tenant", "allowed_tenants"));
        OidcSettings.Client client = OidcSettings.client(n, List.of("openid", "email", "profile"));
        String tenant = n.string("tenant");
        if (!n.has("tenant")) {
            // reported by string(): there is no default tenant
        } else if (!List.of("common", "organizations", "consumers").contains(tenant) && !GUID.matcher(tenant).matches()) {
            n.problem("tenant", "must be common, organizations, consumers or a tenant id (a GUID; find it in the Entra admin center "
                    + "under Overview), got '" + tenant + "'");
            tenant = "invalid";
        }
        List<String> allowed = n.strings("allowed_tenants");
        for (String t : allowed) {
            if (!GUID.matcher(t).matches()) {
                n.problem("allowed_tenants", "entries must be tenant ids (GUIDs), got '" + t + "'");
            }
        }
        if (!allowed.isEmpty() && !(tenant.equals("common") || tenant.equals("organizations"))) {
            n.problem("allowed_tenants", "applies only to tenant: common or organizations");
        }
        URI base = endpointBase.orElse(Urls.https("login.microsoftonline.com", ""));
        // discovery lives under the tenant segment as configured (…/organizations/v2.0/.well-known/openid-configuration)
        URI discoveryIssuer = Urls.upstream(base, "/" + (tenant.isEmpty() ? "invalid" : tenant) + "/v2.0");
        return new EntraSettings(client.auto(discoveryIssuer, Map.of(), CLAIMS), base, tenant, Set.copyOf(allowed));
    }
}
