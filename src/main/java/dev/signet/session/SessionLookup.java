package dev.signet.session;

import dev.signet.UnavailableException;
import dev.signet.store.Session;

/**
 * The outcome of looking up a browser's session: never null, and "the store did not answer" is
 * its own case, so a store outage can never be mistaken for "signed out" (postmortem 001).
 */
public sealed interface SessionLookup {

    record Valid(Session session) implements SessionLookup {}

    /** No cookie, an unknown cookie, or an expired or revoked session. */
    record Absent() implements SessionLookup {}

    record Unavailable(UnavailableException cause) implements SessionLookup {}
}
