package dev.signet.protocol.authorize;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the authorization endpoint decided. */
public sealed interface AuthorizeOutcome {

    /** Send the browser back to the client (a code, or an error that may be redirected). */
    record Redirect(URI location) implements AuthorizeOutcome {}

    /**
     * Send the browser back to the client by a POST of {@code fields} to {@code action}, the client's redirect URI
     * as registered (OAuth 2.0 Form Post Response Mode §2): a page whose form its own script submits.
     */
    record FormPost(URI action, Map<String, String> fields) implements AuthorizeOutcome {
        public FormPost {
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }
    }

    /** A device's request (RFC 8628) was approved by the signed-in user: the page says to go back to the device. */
    record DeviceApproved(String clientName) implements AuthorizeOutcome {}

    /**
     * The user is signed in but must approve the scopes for the client first (OIDC Core §3.1.2.4);
     * the request waits as {@code pendingId}, and goes to {@code redirectUri} once answered.
     */
    record Consent(String pendingId, String clientName, Set<String> scopes, URI redirectUri) implements AuthorizeOutcome {
        public Consent {
            scopes = Set.copyOf(scopes);
        }
    }

    /** The user must sign in; the request waits as {@code pendingId}. */
    record SignIn(String pendingId, String clientName, Optional<String> connection, Optional<String> loginHint) implements AuthorizeOutcome {}
}
