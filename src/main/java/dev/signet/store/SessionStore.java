package dev.signet.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Browser sessions, found by the hash of their cookie value. Lookups take the tenant and match it
 * in the query: a cookie of one tenant presented on another tenant's domain is no session there.
 */
public interface SessionStore {
    void create(Tx tx, Session session);

    Optional<Session> byTokenHash(Tx tx, String tenant, String tokenHash);

    /** Revokes the tenant's session and announces it to every node ({@link Changes}); false when it has no session with that id. */
    boolean revoke(Tx tx, String tenant, String id);

    /** The tenant's session with this id (the {@code sid} claim), revoked or not. */
    Optional<Session> byId(Tx tx, String tenant, String id);

    /**
     * The tenant's sessions active at {@code now} (not revoked, not expired), of {@code userId} when
     * given, newest sign-in first, at most {@code limit}.
     */
    List<Session> active(Tx tx, String tenant, Optional<String> userId, Instant now, int limit);

    /** Records that the tenant's session was signed in on the custom domain with this issuer (none recorded: the default domain). */
    void signedInOn(Tx tx, String tenant, String sessionId, String issuer);

    /** The issuer of the custom domain the tenant's session was signed in on; empty for the default domain. */
    Optional<String> customIssuer(Tx tx, String tenant, String sessionId);
}
