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

    /** Cookie name; HttpOnly, SameSite=Lax, Secure on https (set by {@code web}). */
    public static final String COOKIE = "signet_session";

    /** A session just created, with the cookie value to hand to the browser once. */
    public record Created(Session session, String cookieValue) {}

    private final Transactions transactions;
    private final SessionStore store;
    private final Ids ids;
    private final Clock clock;

    public Sessions(Transactions transactions, SessionStore store, Ids ids, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.store = Objects.requireNonNull(store, "store");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public SessionLookup lookup(String tenant, Optional<String> cookieValue) {
        if (cookieValue.isEmpty() || cookieValue.get().isBlank()) {
            return new SessionLookup.Absent();
        }
        String hash = Ids.hash(cookieValue.get());
        try {
            Optional<Session> s = transactions.read(tx -> store.byTokenHash(tx, hash));
            return s.filter(x -> x.tenant().equals(tenant) && x.activeAt(clock.instant()))
                    .<SessionLookup>map(SessionLookup.Valid::new)
                    .orElseGet(SessionLookup.Absent::new);
        } catch (UnavailableException e) {
            return new SessionLookup.Unavailable(e);
        }
    }

    /** Creates a session inside the caller's transaction (the sign-in step's one transaction). */
    public Created create(Tx tx, String tenant, String userId, String connection, Duration ttl) {
        String value = ids.secret();
        var now = clock.instant();
        Session s = new Session(ids.id(), tenant, Ids.hash(value), userId, connection, now, now.plus(ttl), false);
        store.create(tx, s);
        return new Created(s, value);
    }
}
