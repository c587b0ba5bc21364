package dev.signet.protocol.logout;

import dev.signet.store.Session;
import dev.signet.store.SessionStore;
import dev.signet.store.Transactions;
import dev.signet.tenant.Tenant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Operator actions on sessions ({@code signet sessions list|revoke}): they run against the store,
 * also while Signet runs; the back-channel logout events they write are delivered by the running
 * server's outbox relay. Each revocation is one write transaction ({@link Logouts}).
 */
public final class SessionAdmin {

    /** At most this many sessions are revoked or listed per call (a user with more is revoked again). */
    public static final int LIMIT = 10_000;

    /** What a revocation did: sessions ended, clients that will get a logout token, consents forgotten. */
    public record Revoked(int sessions, Set<String> notified, int consents) {
        public Revoked {
            notified = Set.copyOf(notified);
        }
    }

    private final Transactions transactions;
    private final SessionStore sessions;
    private final Logouts logouts;
    private final Clock clock;

    public SessionAdmin(Transactions transactions, SessionStore sessions, Logouts logouts, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.logouts = Objects.requireNonNull(logouts, "logouts");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A session as listed, with the issuer of the domain it was signed in on. */
    public record Listed(Session session, String issuer) {}

    /** The tenant's active sessions (of {@code user} when given), newest sign-in first. */
    public List<Listed> list(Tenant tenant, Optional<String> user, int limit) {
        return transactions.read(tx -> sessions.active(tx, tenant.name(), user, clock.instant(), Math.min(limit, LIMIT)).stream()
                .map(s -> new Listed(s, sessions.customIssuer(tx, tenant.name(), s.id()).orElse(tenant.domains().getFirst().issuer().toString())))
                .toList());
    }

    /** Ends every active session of the user and forgets the consents they gave. */
    public Revoked revokeUser(Tenant tenant, String user) {
        return transactions.write(tx -> {
            Set<String> notified = new LinkedHashSet<>();
            List<Session> active = sessions.active(tx, tenant.name(), Optional.of(user), clock.instant(), LIMIT);
            for (Session s : active) {
                notified.addAll(logouts.end(tx, tenant, s, Logouts.Why.OPERATOR));
            }
            return new Revoked(active.size(), notified, logouts.forgetConsents(tx, tenant, user));
        });
    }

    /** Ends the session if it is the tenant's and still active; a session already ended is left alone. */
    public Revoked revokeSession(Tenant tenant, String sessionId) {
        return transactions.write(tx -> {
            List<String> notified = new ArrayList<>();
            Optional<Session> s = sessions.byId(tx, tenant.name(), sessionId).filter(x -> x.activeAt(clock.instant()));
            s.ifPresent(x -> notified.addAll(logouts.end(tx, tenant, x, Logouts.Why.OPERATOR)));
            return new Revoked(s.isPresent() ? 1 : 0, new LinkedHashSet<>(notified), 0);
        });
    }
}
