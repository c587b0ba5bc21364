package dev.signet.store;

import java.time.Instant;

/** The {@code jti} of every client assertion accepted (RFC 7523 §3 item 7), kept until the assertion's {@code exp}. */
public interface ClientAssertionStore {
    /** True the first time the tenant's client presents {@code jti}; false on every replay (compare-and-set). */
    boolean use(Tx tx, String tenant, String clientId, String jti, Instant expiresAt);
}
