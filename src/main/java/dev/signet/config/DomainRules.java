package dev.signet.config;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration rules for tenant names and domains (issue 6) that the tenant section's reading
 * in {@link ConfigLoader} applies, and the checks across tenants (unique names, unique hosts).
 * Branding is read by {@link Branding#read}, trusted proxies by {@link ServerSettings#read}.
 *
 * <p>A domain is a base URL: scheme, host, optional port and optional path prefix, e.g.
 * {@code https://login.acme.com} or {@code https://example.com/acme}. It is the issuer on that
 * domain. Each host name serves exactly one domain of one tenant (Host → tenant is a plain lookup;
 * a path prefix does not route).
 */
final class DomainRules {

    private DomainRules() {}

    /** Tenant names: they are stored in every row and appear in logs. */
    static void tenantName(ConfigNode n, String name) {
        if (!name.isEmpty() && !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            n.problem("name", "must be lowercase letters, digits and '-' (at most 63)");
        }
    }

    /**
     * A domain's base URL, normalised: IDN host to its ASCII (punycode) form and lower case, no
     * trailing slash. Empty (with a problem) when it cannot serve as an issuer (OIDC Discovery §3:
     * https, no query or fragment; http is accepted for development).
     */
    static Optional<URI> domain(ConfigNode n, String key, String raw) {
        URI u;
        try {
            u = new URI(raw.trim());
            if (u.getHost() == null && u.getAuthority() != null) {
                // java.net.URI does not parse an internationalised host name: convert it first.
                String a = u.getAuthority();
                int colon = a.lastIndexOf(':');
                String h = colon < 0 ? a : a.substring(0, colon);
                String port = colon < 0 ? "" : a.substring(colon);
                int p = port.isEmpty() ? -1 : Integer.parseInt(port.substring(1));
                u = new URI(u.getScheme(), u.getUserInfo(), asciiHost(h), p, u.getPath(), u.getQuery(), u.getFragment());
            }
        } catch (URISyntaxException | IllegalArgumentException e) /* NumberFormatException too */ {
            n.problem(key, "is not a valid URL: " + e.getMessage());
            return Optional.empty();
        }
        if (!("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme())) || u.getHost() == null) {
            n.problem(key, "must be an absolute http(s) URL, got '" + raw + "'");
            return Optional.empty();
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            n.problem(key, "must not contain a query, fragment or user info (OIDC Discovery §3)");
            return Optional.empty();
        }
        String host;
        try {
            host = asciiHost(u.getHost());
        } catch (IllegalArgumentException e) {
            n.problem(key, "has a host name that is not a valid (internationalised) domain name: " + e.getMessage());
            return Optional.empty();
        }
        String path = u.getPath() == null ? "" : u.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (path.contains("//") || path.contains("/./") || path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")) {
            n.problem(key, "has a path prefix with empty, '.' or '..' segments");
            return Optional.empty();
        }
        try {
            return Optional.of(new URI(u.getScheme().toLowerCase(Locale.ROOT), null, host, u.getPort(), path, null, null));
        } catch (URISyntaxException e) {
            n.problem(key, "is not a valid URL: " + e.getReason());
            return Optional.empty();
        }
    }

    /**
     * {@code path} under a domain's base URL (keeping its path prefix), for the one URL config builds
     * itself: the demo client's redirect URIs. {@code tenant.Urls} builds every other.
     */
    static URI under(URI base, String path) {
        try {
            return new URI(base.getScheme(), null, base.getHost(), base.getPort(), base.getPath() + path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Lower-case ASCII form of a host (punycode for IDN, brackets kept for IPv6 literals). */
    static String asciiHost(String host) {
        if (host.startsWith("[")) {
            return host.toLowerCase(Locale.ROOT);
        }
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return IDN.toASCII(h, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    }

    /** Every domain's host must be unique across all tenants (one Host, one tenant, one issuer). */
    static void uniqueHosts(ConfigNode top, List<TenantSettings> tenants) {
        Map<String, String> seen = new HashMap<>();
        for (int t = 0; t < tenants.size(); t++) {
            List<URI> urls = tenants.get(t).domainUrls();
            for (int d = 0; d < urls.size(); d++) {
                String host = urls.get(d).getHost();
                String where = "tenants[" + t + "]." + (d == 0 ? "issuer" : "custom_domains[" + (d - 1) + "]");
                String before = seen.putIfAbsent(host, where);
                if (before != null) {
                    top.problem(where, "host '" + host + "' is already served by " + before
                            + " (each host name serves exactly one domain; set a distinct issuer for each tenant)");
                }
            }
        }
    }

    static void uniqueNames(ConfigNode top, List<TenantSettings> tenants) {
        Set<String> names = new java.util.HashSet<>();
        for (int t = 0; t < tenants.size(); t++) {
            if (!names.add(tenants.get(t).name())) {
                top.problem("tenants[" + t + "].name", "duplicates tenant name '" + tenants.get(t).name() + "'");
            }
        }
    }

}
