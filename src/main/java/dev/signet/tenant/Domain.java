package dev.signet.tenant;

import java.net.URI;

/**
 * One domain a tenant is served on: its base URL (which is the issuer there) and the host name
 * requests for it carry. Built from configuration only, never from a request.
 *
 * @param issuer absolute base URL, no trailing slash: scheme, ASCII host, optional port and path prefix
 * @param host the ASCII (punycode) lower-case host name, IPv6 literals in brackets
 * @param custom false for the tenant's default domain
 */
public record Domain(URI issuer, String host, boolean custom) {

    public static Domain of(URI issuer, boolean custom) {
        String host = issuer.getHost();
        String key = host == null ? null : Hosts.canonicalHost(host).orElse(null);
        if (key == null) {
            throw new IllegalArgumentException("a domain needs an ASCII host name or IP literal: " + issuer);
        }
        return new Domain(issuer, key, custom);
    }

    /** True when cookies set on this domain must be {@code Secure}. */
    public boolean secure() {
        return "https".equals(issuer.getScheme());
    }

    /** The path prefix a reverse proxy serves Signet under ("" when none), e.g. {@code /auth}. */
    public String pathPrefix() {
        String p = issuer.getRawPath();
        return p == null ? "" : p;
    }
}
