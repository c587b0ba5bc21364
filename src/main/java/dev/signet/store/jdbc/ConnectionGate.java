package dev.signet.store.jdbc;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;

/**
 * A hook {@link Database} calls before it borrows a JDBC connection from its pool: where a dead or
 * hung database shows itself. Production passes {@link #OPEN} (nothing happens); the test harness
 * passes its fault switch through the composition root (a decorator seam, so no fault-injection
 * code ships in the jar).
 */
@FunctionalInterface
public interface ConnectionGate {

    /** Returns to let the borrow proceed, or throws as the pool would. */
    void beforeBorrow(boolean write, Duration timeout) throws SQLTransientConnectionException;

    ConnectionGate OPEN = (write, timeout) -> { };
}
