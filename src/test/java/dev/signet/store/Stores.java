package dev.signet.store;

import java.util.Objects;

/**
 * One implementation of every store interface plus the {@link Transactions} they run in, as handed
 * to {@link StoreConformance} by a backend's test. {@code shutdown} releases the backend's
 * connections; afterwards every transaction must fail with {@link dev.signet.UnavailableException}.
 */
public record Stores(Transactions transactions, UserStore users, SessionStore sessions, PendingStore pending,
        UpstreamLoginStore upstreamLogins, GrantStore grants, KeyStore keys, TokenRevocations revocations,
        ClientAssertionStore assertions, DeviceCodeStore devices, Runnable shutdown) implements AutoCloseable {

    /**
     * Without issue 14's stores: their JDBC implementations are dialect-neutral SQL, so a JDBC
     * backend gets them as they are (one constructor call per backend stays unchanged).
     */
    public Stores(Transactions transactions, UserStore users, SessionStore sessions, PendingStore pending,
            UpstreamLoginStore upstreamLogins, GrantStore grants, KeyStore keys, Runnable shutdown) {
        this(transactions, users, sessions, pending, upstreamLogins, grants, keys, new dev.signet.store.jdbc.JdbcTokenRevocations(),
                new dev.signet.store.jdbc.JdbcClientAssertions(), new dev.signet.store.jdbc.JdbcDeviceCodes(), shutdown);
    }

    public Stores {
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(pending, "pending");
        Objects.requireNonNull(upstreamLogins, "upstreamLogins");
        Objects.requireNonNull(grants, "grants");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(revocations, "revocations");
        Objects.requireNonNull(assertions, "assertions");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(shutdown, "shutdown");
    }

    @Override
    public void close() {
        shutdown.run();
    }
}
