package dev.signet.store.jdbc;

import dev.signet.Reason;
import dev.signet.UnavailableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * SQLite's single write connection, driven by one platform thread (issue 16, the write tail).
 *
 * <p>Requests run on virtual threads. When they took turns at the one write connection through the
 * pool, each hand-over went to a virtual thread that then waited at the back of the carriers' run
 * queue, behind every other runnable request, while holding the connection: under load the writer
 * sat idle between units of work and the waits convoyed (refresh, measured side by side with
 * {@code bench/compare.sh}: Signet's own p99 ≤ 134 ms → ≤ 50 ms, per server CPU-second 2,874 →
 * 3,334). Here a unit of work is handed to this thread, which runs the units one after another as
 * the operating system schedules it, like any other thread; the request's thread waits for the
 * result.
 *
 * <p>The store timeout keeps its meaning: a unit that has not <em>started</em> within it is
 * abandoned (it will never run) and the request gets {@link Reason#STORE_UNAVAILABLE}, as when the
 * pool had no connection within the timeout. A unit that has started is always waited for, so the
 * caller never reports a failure for a write that then commits (a refresh token rotated behind a
 * 503 would turn the client's retry into reuse and sign the user out).
 */
final class WriterThread implements AutoCloseable {

    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int ABANDONED = 2;

    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("signet-store-writer").factory());
    private final Duration timeout;

    WriterThread(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code unit} on the writer thread and answers its result, or throws what it threw. */
    <T> T run(Supplier<T> unit) {
        Unit<T> u = new Unit<>(unit, MDC.getCopyOfContextMap());
        try {
            thread.execute(u);
        } catch (RejectedExecutionException e) {
            throw new UnavailableException(Reason.STORE_UNAVAILABLE, "the store is closed", e);
        }
        return u.await(timeout);
    }

    /** Runs the units already handed in, then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        boolean interrupted = false;
        while (!thread.isTerminated()) {
            try {
                thread.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Unit<T> implements Runnable {
        private final Supplier<T> work;
        private final @Nullable Map<String, String> mdc;
        private final AtomicInteger state = new AtomicInteger(NEW);
        private final CountDownLatch done = new CountDownLatch(1);
        private @Nullable T result;
        private @Nullable Throwable failure;

        Unit(Supplier<T> work, @Nullable Map<String, String> mdc) {
            this.work = work;
            this.mdc = mdc;
        }

        @Override
        public void run() {
            if (!state.compareAndSet(NEW, RUNNING)) {
                return; // its caller gave up before it started: it never runs
            }
            if (mdc != null) {
                MDC.setContextMap(mdc); // a log line from inside the unit names the request
            }
            try {
                result = work.get();
            } catch (Throwable e) {
                failure = e;
            } finally {
                MDC.clear();
                done.countDown();
            }
        }

        T await(Duration timeout) {
            boolean interrupted = false;
            try {
                try {
                    if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && state.compareAndSet(NEW, ABANDONED)) {
                        throw new UnavailableException(Reason.STORE_UNAVAILABLE, "no database connection within the timeout",
                                new SQLTransientConnectionException("the write connection was busy for " + timeout.toMillis() + " ms"));
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (state.compareAndSet(NEW, ABANDONED)) {
                        throw new UnavailableException(Reason.STORE_UNAVAILABLE, "interrupted waiting for the database", e);
                    }
                }
                // started: its outcome is the caller's, however long it takes (its statements have their own timeouts)
                while (true) {
                    try {
                        done.await();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error r) {
                throw r;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return result;
        }
    }
}
