package dev.signet.web;

/**
 * Where an error is answered: a page for browsers, JSON for the token and userinfo endpoints, the
 * metadata documents and the management listener, plain text for the management listener's {@code
 * /metrics} (its scraper reads text).
 */
public enum Surface {
    PAGE,
    TOKEN,
    USERINFO,
    /** JSON with Signet's reason code as {@code error}: the management listener (health, probes). */
    MANAGEMENT,
    /**
     * JSON with Signet's reason code as {@code error}: discovery and JWKS, documents read by code
     * (OIDC Discovery 1.0 §4, RFC 8414 §3, RFC 7517 §5), for which no OAuth error code is registered.
     */
    METADATA,
    /** Plain text: {@code <reason code>: <description>}, one line. */
    TEXT
}
