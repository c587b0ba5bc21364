package dev.signet;

/**
 * Every stable reason code Signet can report, one line each (node-oidc-provider helpers/errors.js).
 *
 * <p>{@code code} is what users, logs and metrics see and never changes once released; {@code
 * oauthError} is the RFC 6749 / OIDC error code sent to clients where the protocol requires one;
 * {@code mayRedirect} says whether the error may be sent back to a client's (verified) redirect
 * URI (RFC 6749 §4.1.2.1) or must be shown on a Signet page.
 */
public enum Reason {
    // RFC 6749 §4.1.2.1 / OIDC Core §3.1.2.6: sent to the client by redirect
    INVALID_REQUEST("invalid_request", "invalid_request", 400, true),
    UNAUTHORIZED_CLIENT("unauthorized_client", "unauthorized_client", 400, true),
    ACCESS_DENIED("access_denied", "access_denied", 400, true),
    UNSUPPORTED_RESPONSE_TYPE("unsupported_response_type", "unsupported_response_type", 400, true),
    INVALID_SCOPE("invalid_scope", "invalid_scope", 400, true),
    LOGIN_REQUIRED("login_required", "login_required", 400, true),
    /** OIDC Core §3.1.2.6: prompt=none, but the client needs the user's consent first. */
    CONSENT_REQUIRED("consent_required", "consent_required", 400, true),
    /** OIDC Core §3.1.2.6, §6: the {@code request} parameter (a request object) is not supported (discovery: request_parameter_supported false). */
    REQUEST_NOT_SUPPORTED("request_not_supported", "request_not_supported", 400, true),
    /** OIDC Core §3.1.2.6, §6: the {@code request_uri} parameter is not supported (discovery: request_uri_parameter_supported false). */
    REQUEST_URI_NOT_SUPPORTED("request_uri_not_supported", "request_uri_not_supported", 400, true),
    /** OIDC Core §3.1.2.6, §7.2.1: the {@code registration} parameter is not supported (no self-issued or dynamic registration). */
    REGISTRATION_NOT_SUPPORTED("registration_not_supported", "registration_not_supported", 400, true),
    // RFC 6749 §5.2: token endpoint
    INVALID_CLIENT("invalid_client", "invalid_client", 401, false),
    INVALID_GRANT("invalid_grant", "invalid_grant", 400, false),
    UNSUPPORTED_GRANT_TYPE("unsupported_grant_type", "unsupported_grant_type", 400, false),
    // RFC 8628 §3.5: device access token polling (issue 14)
    /** The user has not yet approved or denied the device's request: poll again after the interval. */
    DEVICE_AUTHORIZATION_PENDING("device.authorization_pending", "authorization_pending", 400, false),
    /** The device polled before its interval passed; the interval grows by 5 s. */
    DEVICE_SLOW_DOWN("device.slow_down", "slow_down", 400, false),
    /** The device code expired before the user approved it. */
    DEVICE_EXPIRED_TOKEN("device.expired_token", "expired_token", 400, false),
    /** The user denied the device's request on the verification page. */
    DEVICE_ACCESS_DENIED("device.access_denied", "access_denied", 400, false),
    // RFC 6750 §3.1: protected resources (userinfo)
    INVALID_TOKEN("invalid_token", "invalid_token", 401, false),
    /** No credentials at all: RFC 6750 §3.1 says the challenge then carries no error code. */
    BEARER_MISSING("userinfo.token_missing", "invalid_token", 401, false),
    // Authorize errors that must never redirect (RFC 6749 §4.1.2.1, first paragraph)
    UNKNOWN_CLIENT("authorize.unknown_client", "invalid_client", 400, false),
    REDIRECT_URI_MISMATCH("authorize.redirect_uri_mismatch", "invalid_request", 400, false),
    /**
     * RFC 9126 §4, OIDC Core §3.1.2.6: the {@code request_uri} of a pushed authorization request is unknown, expired,
     * already used, or another client's; shown on a page (its redirect URI is not known to be the client's).
     */
    INVALID_REQUEST_URI("authorize.invalid_request_uri", "invalid_request_uri", 400, false),
    // RP-Initiated Logout 1.0 §2, §3: shown on a page, never redirected
    /** {@code id_token_hint} is not an ID token Signet issued in this tenant (signature, issuer, or unreadable). */
    LOGOUT_INVALID_HINT("logout.invalid_id_token_hint", "invalid_request", 400, false),
    /** {@code client_id} is unknown, or is not the audience of {@code id_token_hint}. */
    LOGOUT_CLIENT_MISMATCH("logout.client_mismatch", "invalid_request", 400, false),
    /** {@code post_logout_redirect_uri} is not registered (exact match) for the client, or no client was named. */
    LOGOUT_REDIRECT_MISMATCH("logout.post_logout_redirect_uri_mismatch", "invalid_request", 400, false),
    /** A confirmation form (sign-out, consent) was not rendered by Signet for this browser's session (its CSRF token does not match). */
    FORM_INVALID("request.form_invalid", "invalid_request", 403, false),
    // The sign-in journey
    SIGNIN_EXPIRED("signin.expired", "invalid_request", 400, false),
    SIGNIN_UNKNOWN_CONNECTION("signin.unknown_connection", "invalid_request", 404, false),
    NOT_FOUND("not_found", "invalid_request", 404, false),
    /**
     * The path is mounted, but not for this method (RFC 9110 §15.5.6): answered 405 with an {@code
     * Allow} header listing the methods that are (§10.2.1). RFC 6749 registers no code for it; a
     * wrong method is a malformed request there ({@code invalid_request}, §5.2; §3.2: the token
     * endpoint takes POST only).
     */
    METHOD_NOT_ALLOWED("request.method_not_allowed", "invalid_request", 405, false),
    /** A policy hook said no (its message is shown). */
    HOOK_DENIED("signin.denied_by_hook", "access_denied", 403, false),
    /** A policy hook with on_failure: deny did not answer usably within its timeout. */
    HOOK_FAILED("signin.hook_failed", "access_denied", 503, false),
    /** The request's Host (or trusted X-Forwarded-Host) is no configured domain (RFC 9110 §15.5.20). */
    UNKNOWN_HOST("request.unknown_host", "invalid_request", 421, false),
    /**
     * The request cannot be read at all: malformed percent-encoding (RFC 3986 §2.1) in the request
     * line or a form body. Never redirected: nothing in such a request can be trusted to name a client.
     */
    REQUEST_MALFORMED("request.malformed", "invalid_request", 400, false),
    /** The request's content is larger than Signet reads (64 KiB; RFC 9110 §15.5.14, 413 Content Too Large). */
    REQUEST_TOO_LARGE("request.too_large", "invalid_request", 413, false),
    /** The request line is longer than Signet reads (RFC 9110 §15.5.15, 414 URI Too Long). */
    REQUEST_URI_TOO_LONG("request.uri_too_long", "invalid_request", 414, false),
    /**
     * The request is not HTTP/1.1 (RFC 9110 §15.6.6: 505, with a representation saying what is
     * supported). Signet's HTTP layer (Helidon 4) refuses HTTP/1.0 before any route runs.
     */
    HTTP_VERSION_NOT_SUPPORTED("request.http_version", "invalid_request", 505, false),
    /** A form of Signet's own pages was posted from another site (Fetch Metadata {@code Sec-Fetch-Site}). */
    CROSS_SITE_REQUEST("request.cross_site", "invalid_request", 403, false),
    /**
     * A rate limit or a client-authentication back-off refused the request (RFC 6585 §4, RFC 6749
     * §2.3.1). RFC 6749 registers no error code for it; {@code temporarily_unavailable} (§4.1.2.1)
     * is the registered code that tells a client to retry later, with the 429 and Retry-After.
     */
    RATE_LIMITED("rate_limited", "temporarily_unavailable", 429, false),
    // Upstream identity providers
    UPSTREAM_STATE_MISMATCH("upstream.state_mismatch", "access_denied", 400, false),
    UPSTREAM_ISSUER_MISMATCH("upstream.issuer_mismatch", "access_denied", 502, false),
    UPSTREAM_ISSUER_MISSING("upstream.issuer_missing", "access_denied", 502, false),
    UPSTREAM_DENIED("upstream.denied", "access_denied", 400, false),
    UPSTREAM_ID_TOKEN_INVALID("upstream.id_token_invalid", "access_denied", 502, false),
    UPSTREAM_BAD_RESPONSE("upstream.bad_response", "access_denied", 502, false),
    /** The upstream's token endpoint refused Signet's own client credentials (RFC 6749 §5.2 invalid_client / unauthorized_client). */
    UPSTREAM_CLIENT_REJECTED("upstream.client_rejected", "access_denied", 502, false),
    UPSTREAM_UNREACHABLE("upstream.unreachable", "temporarily_unavailable", 502, false),
    /** Calls to this connection are paused by its circuit breaker after repeated failures. */
    UPSTREAM_CIRCUIT_OPEN("upstream.circuit_open", "temporarily_unavailable", 503, false),
    /** A required field of an upstream payload is absent (the detail names connection, payload and field). */
    UPSTREAM_FIELD_MISSING("upstream.field_missing", "access_denied", 502, false),
    /** A required field of an upstream payload has the wrong type or an unusable value. */
    UPSTREAM_FIELD_INVALID("upstream.field_invalid", "access_denied", 502, false),
    /** The connection restricts sign-in to organisations or teams the user is not a member of. */
    UPSTREAM_ORG_DENIED("upstream.org_denied", "access_denied", 403, false),
    /** The ID token's hosted domain ({@code hd}) is not one the connection allows. */
    UPSTREAM_DOMAIN_DENIED("upstream.domain_denied", "access_denied", 403, false),
    /** The ID token comes from a directory tenant outside the connection's allow-list. */
    UPSTREAM_TENANT_DENIED("upstream.tenant_denied", "access_denied", 403, false),
    // Dependencies of Signet itself
    STORE_UNAVAILABLE("store.unavailable", "temporarily_unavailable", 503, false),
    CONFIG_INVALID("config.invalid", "server_error", 500, false),
    INTERNAL("internal", "server_error", 500, false),
    // Built-in probes (never sent to users: the status is what a probe saw as failure class)
    PROBE_UNEXPECTED_STATUS("probe.unexpected_status", "server_error", 502, false),
    PROBE_MALFORMED_URL("probe.malformed_url", "server_error", 502, false),
    PROBE_WRONG_HOST("probe.wrong_host", "server_error", 502, false),
    PROBE_UNREACHABLE("probe.unreachable", "server_error", 502, false),
    PROBE_BAD_RESPONSE("probe.bad_response", "server_error", 502, false),
    PROBE_ID_TOKEN_INVALID("probe.id_token_invalid", "server_error", 502, false);

    private final String code;
    private final String oauthError;
    private final int status;
    private final boolean mayRedirect;

    Reason(String code, String oauthError, int status, boolean mayRedirect) {
        this.code = code;
        this.oauthError = oauthError;
        this.status = status;
        this.mayRedirect = mayRedirect;
    }

    /** The stable reason code shown on pages, in logs and in metrics. */
    public String code() {
        return code;
    }

    /** The OAuth 2.0 / OIDC {@code error} value for protocol responses. */
    public String oauthError() {
        return oauthError;
    }

    public int status() {
        return status;
    }

    public boolean mayRedirect() {
        return mayRedirect;
    }
}
