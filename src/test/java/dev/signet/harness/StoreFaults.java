package dev.signet.harness;

import dev.signet.store.jdbc.ConnectionGate;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A switch that makes the JDBC layer fail, hang or slow down, for tests that prove the failure
 * policy on the running server (DESIGN.md "store" row). Not a mock: the real store runs; the fault
 * is applied where {@code store.jdbc.Database} borrows a JDBC connection from its pool (its
 * {@link ConnectionGate}, handed in through {@code Signet.Options}), which is where a dead
 * or hung database shows itself (the pool has no healthy connection to lend).
 *
 * <ul>
 *   <li>{@link #fail} — the borrow throws at once, as a pool does when the database refuses
 *       connections.
 *   <li>{@link #hang} — the borrow waits until healed, but never longer than the store timeout,
 *       then throws: exactly what Hikari does when every connection is stuck in a hung call
 *       ({@code connectionTimeout}). This is what bounds the threads a hanging store can hold.
 *   <li>{@link #slow} — each borrow is delayed, then proceeds.
 * </ul>
 *
 * Test code only: production passes {@link ConnectionGate#OPEN}.
 */
public final class StoreFaults implements ConnectionGate {

    /**
     * Which pool a fault applies to: the read pool only (a slow or lost read replica), the write
     * connection only (a database that answers reads but refuses writes: read-only, disk full), or both.
     */
    public enum Scope { READS, WRITES, ALL }

    private enum Mode { NONE, FAIL, HANG, SLOW }

    private record State(Mode mode, Scope scope, Duration delay) {}

    private static final State HEALTHY = new State(Mode.NONE, Scope.ALL, Duration.ZERO);

    public StoreFaults() {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition healed = lock.newCondition();
    private volatile State state = HEALTHY;

    public void fail(Scope scope) {
        set(new State(Mode.FAIL, scope, Duration.ZERO));
    }

    public void hang(Scope scope) {
        set(new State(Mode.HANG, scope, Duration.ZERO));
    }

    public void slow(Scope scope, Duration delay) {
        set(new State(Mode.SLOW, scope, delay));
    }

    public void heal() {
        set(HEALTHY);
    }

    private void set(State s) {
        lock.lock();
        try {
            state = s;
            healed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Called before every borrow; throws as the pool would, or returns to let the borrow proceed. */
    @Override
    public void beforeBorrow(boolean write, Duration timeout) throws SQLTransientConnectionException {
        State s = state;
        if (s.mode() == Mode.NONE || (write && s.scope() == Scope.READS) || (!write && s.scope() == Scope.WRITES)) {
            return;
        }
        switch (s.mode()) {
            case FAIL -> throw new SQLTransientConnectionException("injected fault: database refuses connections");
            case HANG -> awaitHealed(timeout);
            case SLOW -> pause(s.delay());
            case NONE -> { }
        }
    }

    private void awaitHealed(Duration timeout) throws SQLTransientConnectionException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (state.mode() == Mode.HANG && left > 0) {
                left = healed.awaitNanos(left);
            }
            if (state.mode() == Mode.HANG) {
                throw new SQLTransientConnectionException("injected fault: no connection within " + timeout.toMillis() + " ms (store hangs)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a connection", e);
        } finally {
            lock.unlock();
        }
    }

    private static void pause(Duration d) {
        try {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
