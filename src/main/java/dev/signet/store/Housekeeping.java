package dev.signet.store;

import java.time.Instant;

/**
 * Removes what can no longer be used: expired upstream logins and pending authorizations, sessions
 * and refresh tokens expired for a day, and grants whose code expired a day ago and which have no
 * live refresh token left. Runs off the sign-in path, on a schedule.
 */
public interface Housekeeping {
    /** Deletes expired rows as of {@code now}; returns how many. */
    int deleteExpired(Tx tx, Instant now);
}
