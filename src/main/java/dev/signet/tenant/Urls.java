package dev.signet.tenant;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The one URL builder: every absolute URL Signet emits is made here from typed inputs, never by
 * string concatenation elsewhere (the malformed-URL outage of postmortem 002). Query values are
 * always percent-encoded; a base URL's existing query is kept (RFC 6749 §3.1.2).
 */
public final class Urls {

    /**
     * Every path Signet serves, relative to the issuer: the one path enum. Routes are mounted on these
     * (each capability's {@code web.Mount}), and an endpoint that provider metadata names carries its
     * member name, from which {@code protocol.Discovery} lists it (OIDC Discovery §3, RFC 8414 §2).
     * Adding an endpoint: a constant here, its routes in a mount, one line in the composition root.
     */
    public enum Path {
        HOME("/"),
        HEALTHZ("/healthz"),
        AUTHORIZE("/authorize", "authorization_endpoint"),
        AUTHORIZE_RESUME("/authorize/resume"),
        TOKEN("/token", "token_endpoint"),
        USERINFO("/userinfo", "userinfo_endpoint"),
        JWKS("/jwks", "jwks_uri"),
        /** RFC 7662 §2, listed per RFC 8414 §2. */
        INTROSPECT("/introspect", "introspection_endpoint"),
        /** RFC 7009 §2, listed per RFC 8414 §2. */
        REVOKE("/revoke", "revocation_endpoint"),
        /** RFC 9126 §2, listed per §5. */
        PAR("/par", "pushed_authorization_request_endpoint"),
        /** RFC 8628 §3.1 and §4. */
        DEVICE_AUTHORIZATION("/device_authorization", "device_authorization_endpoint"),
        /** RFC 8628 §3.3: the verification URI the user opens. */
        DEVICE("/device"),
        /** RP-Initiated Logout 1.0 §2.1. */
        END_SESSION("/logout", "end_session_endpoint"),
        CONSENT("/consent"),
        DISCOVERY("/.well-known/openid-configuration"),
        /** RFC 8414 §3: the same metadata at the OAuth well-known path. */
        AUTHORIZATION_SERVER_METADATA("/.well-known/oauth-authorization-server"),
        SIGN_IN("/signin"),
        CALLBACK("/callback"),
        DEV_UPSTREAM("/dev-upstream"),
        DEMO("/demo"),
        DEMO_CALLBACK("/demo/callback"),
        ASSETS("/assets");

        private final String value;
        private final String metadataName;

        Path(String value) {
            this(value, "");
        }

        Path(String value, String metadataName) {
            this.value = value;
            this.metadataName = metadataName;
        }

        public String value() {
            return value;
        }

        /** The provider-metadata member that names this endpoint ({@code token_endpoint}); empty when metadata does not list it. */
        public java.util.Optional<String> metadataName() {
            return metadataName.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(metadataName);
        }
    }

    private final URI issuer;
    private final String base;

    /** @param issuer absolute, without a trailing slash, query or fragment */
    public Urls(URI issuer) {
        String s = issuer.toString();
        if (s.endsWith("/") || issuer.getRawQuery() != null || issuer.getRawFragment() != null || !issuer.isAbsolute()) {
            throw new IllegalArgumentException("issuer must be absolute, without trailing slash, query or fragment: " + issuer);
        }
        this.issuer = issuer;
        this.base = s;
    }

    public URI issuer() {
        return issuer;
    }

    public URI at(Path path) {
        return URI.create(base + path.value());
    }

    /** {@code path/segment}, where segment is one path segment (a connection id). */
    public URI at(Path path, String segment) {
        return URI.create(base + path.value() + "/" + encodeSegment(segment));
    }

    public URI at(Path path, Map<String, String> query) {
        return withQuery(at(path), query);
    }

    public URI at(Path path, String segment, Map<String, String> query) {
        return withQuery(at(path, segment), query);
    }

    /** OIDC Discovery §4.1: the metadata URL of {@code issuer} ("/.well-known/openid-configuration" appended to its path). */
    public static URI discoveryOf(URI issuer) {
        String s = issuer.toString();
        return URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + Path.DISCOVERY.value());
    }

    /**
     * An upstream URL: {@code base} (scheme, host, port and path of a configured or preset base URL)
     * with {@code path} (starting with "/", unencoded segments) appended to its path; one trailing
     * slash of the base is dropped. Connectors build every upstream endpoint from their settings so.
     */
    public static URI upstream(URI base, String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
        String p = base.getPath() == null ? "" : base.getPath();
        try {
            return new URI(base.getScheme(), base.getAuthority(), (p.endsWith("/") ? p.substring(0, p.length() - 1) : p) + path,
                    null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a base URL: " + base, e);
        }
    }

    /** {@code https://{authority}{path}} for a preset's host name (with an optional port). */
    public static URI https(String authority, String path) {
        try {
            return new URI("https", authority, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a host name: " + authority, e);
        }
    }

    /**
     * Appends {@code params} to {@code base}'s query, keeping what is there (RFC 6749 §3.1.2: "MUST
     * retain" the redirect URI's query component). Used for redirects to apps and to upstreams.
     */
    public static URI withQuery(URI base, Map<String, String> params) {
        StringBuilder sb = new StringBuilder(base.toString().length() + 64);
        String s = base.toString();
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        sb.append(s);
        char sep = base.getRawQuery() == null ? '?' : '&';
        if (s.endsWith("?") || s.endsWith("&")) {
            sep = 0;
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (sep != 0) {
                sb.append(sep);
            }
            sb.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return URI.create(sb.toString());
    }

    /** An {@code application/x-www-form-urlencoded} body (token requests to upstreams and to Signet). */
    public static String form(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
        }
        return sb.toString();
    }

    /** Form/query encoding (application/x-www-form-urlencoded), space as %20 for safety in URLs. */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodeSegment(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("not a path segment: '" + segment + "'");
        }
        return encode(segment);
    }
}
