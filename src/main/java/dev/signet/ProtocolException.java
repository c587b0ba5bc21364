package dev.signet;

import java.net.URI;
import java.util.Optional;

/**
 * An OAuth 2.0 / OIDC protocol error (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1).
 *
 * <p>When {@link #redirect()} is present the error may be returned to the client by redirect; the
 * mapper re-checks that the redirect URI is registered for the client before using it.
 */
public final class ProtocolException extends SignetException {

    /**
     * Where an authorization error may be sent (RFC 6749 §4.1.2.1, RFC 9207 §2); {@code formPost}: posted there by a
     * page (OAuth 2.0 Form Post Response Mode §2) instead of in the redirect's query.
     */
    public record ErrorRedirect(String clientId, URI redirectUri, Optional<String> state, boolean formPost) {}

    private final transient Optional<ErrorRedirect> redirect;

    private ProtocolException(Reason reason, String description, String detail, Optional<ErrorRedirect> redirect) {
        super(reason, description, detail, null);
        this.redirect = redirect;
    }

    public static ProtocolException of(Reason reason, String description) {
        return new ProtocolException(reason, description, description, Optional.empty());
    }

    public static ProtocolException of(Reason reason, String description, String detail) {
        return new ProtocolException(reason, description, detail, Optional.empty());
    }

    /** The same error, now allowed to travel back to a redirect URI that was verified. */
    public ProtocolException redirectTo(ErrorRedirect to) {
        return new ProtocolException(reason(), publicDescription(), detail(), Optional.of(to));
    }

    public Optional<ErrorRedirect> redirect() {
        return redirect;
    }
}
