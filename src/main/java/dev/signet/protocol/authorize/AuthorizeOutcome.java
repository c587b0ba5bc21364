package dev.signet.protocol.authorize;

import java.net.URI;
import java.util.Optional;

/** What the authorization endpoint decided. */
public sealed interface AuthorizeOutcome {

    /** Send the browser back to the client (a code, or an error that may be redirected). */
    record Redirect(URI location) implements AuthorizeOutcome {}

    /** The user must sign in; the request waits as {@code pendingId}. */
    /** A device's request (RFC 8628) was approved by the signed-in user: the page says to go back to the device. */
    record DeviceApproved(String clientName) implements AuthorizeOutcome {}

    record SignIn(String pendingId, String clientName, Optional<String> connection, Optional<String> loginHint) implements AuthorizeOutcome {}
}
