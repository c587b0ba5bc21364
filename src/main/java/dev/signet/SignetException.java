package dev.signet;

import java.util.Objects;

/**
 * The one error model. Every failure Signet reports is one of these families, and {@code
 * web.ErrorResponses} maps them to HTTP with an exhaustive switch.
 *
 * <p>{@link #publicDescription()} may be shown to users and clients; {@link #detail()} is for
 * logs only (expected vs actual values, field names, never raw payloads or secrets).
 */
public abstract sealed class SignetException extends RuntimeException
        permits ProtocolException, UpstreamException, UnavailableException, ConfigException, InternalException,
        RateLimitedException {

    private final Reason reason;
    private final String publicDescription;

    protected SignetException(Reason reason, String publicDescription, String detail, Throwable cause) {
        super(detail, cause, false, cause != null);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.publicDescription = Objects.requireNonNull(publicDescription, "publicDescription");
    }

    public Reason reason() {
        return reason;
    }

    public String publicDescription() {
        return publicDescription;
    }

    public String detail() {
        String m = getMessage();
        return m == null ? "" : m;
    }
}
