package dev.signet.connector;

/**
 * The issuer a connection expects in the callback's {@code iss} parameter and whether the upstream
 * advertises {@code authorization_response_iss_parameter_supported} (RFC 9207 §3). The issuer is
 * always explicit: configured, or carried by a preset, never a library default (postmortem 001).
 *
 * <p>A multi-tenant upstream (Microsoft Entra {@code common}/{@code organizations}) names its issuer
 * as a template with {@value #TENANT} standing for one path segment, the tenant id; the tenant
 * itself is then checked on the ID token (its {@code tid} claim and the allow-list).
 */
public record IssuerExpectation(String issuer, boolean issParameterAdvertised) {

    /** The placeholder Entra's multi-tenant metadata uses in its issuer. */
    public static final String TENANT = "{tenantid}";

    /** RFC 9207 §2.4: simple string comparison, or the template with one tenant-id segment in place of {@value #TENANT}. */
    public boolean accepts(String iss) {
        int at = issuer.indexOf(TENANT);
        if (at < 0) {
            return issuer.equals(iss);
        }
        String head = issuer.substring(0, at);
        String tail = issuer.substring(at + TENANT.length());
        if (!iss.startsWith(head) || !iss.endsWith(tail) || iss.length() <= head.length() + tail.length()) {
            return false;
        }
        String tenant = iss.substring(head.length(), iss.length() - tail.length());
        return tenant.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.');
    }
}
