package dev.signet.session;

import dev.signet.Ids;
import dev.signet.UnavailableException;
import dev.signet.store.Session;
import dev.signet.store.SessionStore;
import dev.signet.store.Transactions;
import dev.signet.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Browser sessions. The cookie holds a 256-bit random value; the store keeps only its SHA-256, so
 * a leaked database holds no usable session.
 */
public final class Sessions {

    /** Cookie name; HttpOnly, SameSite=Lax; on https Secure and prefixed {@code __Host-}/{@code __Secure-} (set by {@code web}). */
    public static final String COOKIE = "signet_session";

    /** A session just created, with the cookie value to hand to the browser once. */
    public record Created(Session session, String cookieValue) {}

    private final Transactions transactions;
    private final SessionStore store;
    private final Ids ids;
    private final Clock clock;
    private final SessionCache cache;

    public Sessions(Transactions transactions, SessionStore store, Ids ids, Clock clock) {
        this(transactions, store, ids, clock, SessionCache.DEFAULT_TTL);
    }

    /** {@code outageCacheTtl}: how long a validated session keeps working while the store is down (0 = never). */
    public Sessions(Transactions transactions, SessionStore store, Ids ids, Clock clock, Duration outageCacheTtl) {
        this(transactions, store, ids, clock, outageCacheTtl, SessionCache.MAX_ENTRIES);
    }

    /** {@code outageCacheEntries}: the most sessions it remembers (app.MemoryBudget, from the heap). */
    public Sessions(Transactions transactions, SessionStore store, Ids ids, Clock clock, Duration outageCacheTtl, int outageCacheEntries) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.store = Objects.requireNonNull(store, "store");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cache = new SessionCache(outageCacheTtl, clock, outageCacheEntries);
    }

    public SessionLookup lookup(String tenant, Optional<String> cookieValue) {
        if (cookieValue.isEmpty() || cookieValue.get().isBlank()) {
            return new SessionLookup.Absent();
        }
        String hash = Ids.hash(cookieValue.get());
        Optional<Session> s;
        try {
            s = transactions.read(tx -> store.byTokenHash(tx, tenant, hash));
        } catch (UnavailableException e) {
            // Store errors are "unknown", never "signed out": a recently validated session keeps
            // working from the cache; otherwise the caller answers 503-retry (postmortem 001).
            return cache.recent(hash).filter(x -> x.tenant().equals(tenant))
                    .<SessionLookup>map(SessionLookup.Valid::new)
                    .orElseGet(() -> new SessionLookup.Unavailable(e));
        }
        Optional<Session> valid = s.filter(x -> x.tenant().equals(tenant) && x.activeAt(clock.instant()));
        if (valid.isPresent()) {
            cache.validated(hash, valid.get());
            return new SessionLookup.Valid(valid.get());
        }
        cache.forget(hash);
        return new SessionLookup.Absent();
    }

    /**
     * The browser's session was ended (sign-out): this node forgets its outage-cache entry at once,
     * so not even a store outage that starts now brings it back here.
     */
    public void forget(String cookieValue) {
        cache.forget(Ids.hash(cookieValue));
    }

    /**
     * Creates a session inside the caller's transaction (the sign-in step's one transaction); {@code customIssuer}:
     * the issuer of the custom domain it is signed in on, recorded beside it (empty on the default domain: nothing more
     * is written).
     */
    public Created create(Tx tx, String tenant, Optional<String> customIssuer, String userId, String connection, Duration ttl) {
        String value = ids.secret();
        var now = clock.instant();
        Session s = new Session(ids.id(), tenant, Ids.hash(value), userId, connection, now, now.plus(ttl), false);
        store.create(tx, s);
        customIssuer.ifPresent(issuer -> store.signedInOn(tx, tenant, s.id(), issuer));
        cache.validated(s.tokenHash(), s); // fresh sessions survive an outage that starts right after sign-in
        return new Created(s, value);
    }

    /**
     * Revokes the tenant's session {@code id}: at once on this node, and within a moment on every
     * other (the store announces it in the same transaction); false when there is no such session.
     */
    public boolean revoke(String tenant, String id) {
        boolean found = transactions.write(tx -> store.revoke(tx, tenant, id));
        cache.forgetSession(id);
        return found;
    }

    /** Another node revoked session {@code id}: drop it from the outage cache. */
    public void revoked(String id) {
        cache.forgetSession(id);
    }

    /** This node may have missed revocations: drop the whole outage cache. */
    public void forgetAll() {
        cache.clear();
    }
}
