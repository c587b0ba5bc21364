package dev.signet.store;

import java.util.Objects;

/**
 * One implementation of every store interface plus the {@link Transactions} they run in, as handed
 * to {@link StoreConformance} by a backend's test. {@code shutdown} releases the backend's
 * connections; afterwards every transaction must fail with {@link dev.signet.UnavailableException}.
 */
public record Stores(Transactions transactions, UserStore users, SessionStore sessions, PendingStore pending,
        UpstreamLoginStore upstreamLogins, GrantStore grants, KeyStore keys, OutboxStore outbox, AuditStore audit,
        SessionClaimsStore sessionClaims, Housekeeping housekeeping, Runnable shutdown) implements AutoCloseable {

    public Stores {
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(upstreamLogins, "upstreamLogins");
        Objects.requireNonNull(grants, "grants");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(sessionClaims, "sessionClaims");
        Objects.requireNonNull(housekeeping, "housekeeping");
        Objects.requireNonNull(shutdown, "shutdown");
    }

    @Override
    public void close() {
        shutdown.run();
    }
}
