package dev.signet.connector;

import java.util.Optional;

/**
 * Optional capability of a {@link Connector}: what a synthetic probe may expect of it without
 * signing in at the upstream. Pure: no I/O.
 */
public interface ProbeHints {

    /**
     * The host the browser must be sent to at the start of a sign-in (the authorization URL's host);
     * empty when it is only known after discovery, in which case a probe checks the URL is well formed.
     */
    Optional<String> authorizationHost();
}
