package dev.signet;

import java.util.Optional;

/**
 * An upstream identity provider failed or answered something Signet cannot accept. Shown as a
 * page naming the connection, with a retry link when the journey can be retried.
 */
public final class UpstreamException extends SignetException {

    private final String connection;
    private final transient Optional<String> retryUrl;

    public UpstreamException(Reason reason, String connection, String publicDescription, String detail, Throwable cause) {
        this(reason, connection, publicDescription, detail, cause, Optional.empty());
    }

    private UpstreamException(Reason reason, String connection, String publicDescription, String detail,
            Throwable cause, Optional<String> retryUrl) {
        super(reason, publicDescription, detail, cause);
        this.connection = connection;
        this.retryUrl = retryUrl;
    }

    public static UpstreamException of(Reason reason, String connection, String publicDescription, String detail) {
        return new UpstreamException(reason, connection, publicDescription, detail, null);
    }

    /** The connection id (never a secret, safe to show). */
    public String connection() {
        return connection;
    }

    /** The Signet URL that restarts the failed step, when there is one. */
    public Optional<String> retryUrl() {
        return retryUrl;
    }

    public UpstreamException withRetry(String url) {
        return new UpstreamException(reason(), connection, publicDescription(), detail(), getCause(), Optional.of(url));
    }
}
