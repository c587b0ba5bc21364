package dev.signet;

import java.time.Duration;

/**
 * A request refused because a rate limit or a client-authentication back-off is in force (RFC 6749
 * §2.3.1: "the authorization server MUST protect any endpoint utilizing [passwords] against brute
 * force attacks"; RFC 6585 §4: 429 with {@code Retry-After}). Client-caused: never a 5xx.
 *
 * <p>{@code endpoint} and {@code limit} are low-cardinality labels (README "Rate limits"), never
 * request values.
 */
public final class RateLimitedException extends SignetException {

    private final Duration retryAfter;
    private final String endpoint;
    private final String limit;

    public RateLimitedException(String endpoint, String limit, Duration retryAfter, String detail) {
        super(Reason.RATE_LIMITED, "Too many attempts. Please wait a moment and try again.", detail, null);
        this.retryAfter = retryAfter;
        this.endpoint = endpoint;
        this.limit = limit;
    }

    /** When a retry can succeed; at least one second. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** The endpoint group: token, authorize, pages, dev_form, callback. */
    public String endpoint() {
        return endpoint;
    }

    /** Which limit refused: per_address, per_client or client_auth_backoff. */
    public String limit() {
        return limit;
    }
}
