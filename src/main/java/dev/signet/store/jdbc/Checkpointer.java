package dev.signet.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WAL checkpoints off the request path (issue 16, the refresh tail). SQLite's automatic checkpoint
 * runs on the connection that commits the transaction which pushes the WAL past 1,000 pages: that
 * request then copies the whole WAL into the database file and fsyncs it ({@code synchronous=NORMAL}
 * syncs at checkpoints), tens of milliseconds on a busy disk. The pools therefore run with
 * {@code wal_autocheckpoint=0} and this thread, on a connection of its own, checkpoints instead:
 * <ul>
 *   <li>{@code PRAGMA wal_checkpoint(PASSIVE)} when writes were committed since the last pass, every
 *       {@link #INTERVAL} or as soon as {@link #WAKE_AFTER} write units were committed. PASSIVE takes
 *       no lock a writer or reader waits for: it copies what no reader still needs, and fsyncs,
 *       while requests keep writing.
 *   <li><b>Catch-up</b>: under sustained writes some commit always lands during a pass, so the WAL
 *       is never entirely copied back and SQLite never rewinds it: it would grow without bound. When
 *       a pass leaves more than {@link #CATCH_UP_FRAMES} frames in the WAL, the checkpointer borrows
 *       the pool's single write connection (requests wait for it in the pool's queue, as for any
 *       other write) and runs another PASSIVE pass, which copies only the few frames appended
 *       during the first one; the next writer then starts the WAL over from its beginning. Writers
 *       wait for that short copy and one fsync, not for a whole WAL. Usually it is not needed: a
 *       pass often ends with no commit having landed meanwhile, and the WAL rewinds by itself.
 *   <li>{@code PRAGMA wal_checkpoint(TRUNCATE)} once the store has been idle for a whole interval,
 *       also holding the write connection, so the WAL file shrinks to nothing. This connection's
 *       {@code busy_timeout} is 0: when a reader is in the way the truncation gives up at once and
 *       is tried again in the next idle interval.
 * </ul>
 * {@code journal_size_limit} still caps what a rewound WAL keeps on disk. {@link #close} stops the
 * thread and waits for it, so no thread outlives the store. SQLite only: PostgreSQL checkpoints
 * itself. A failed checkpoint is logged (once per distinct message) and tried again in the next pass.
 */
final class Checkpointer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

    /** Longest time between two passes while writes are committed. */
    static final Duration INTERVAL = Duration.ofMillis(250);

    /** Write units after which a pass starts before {@link #INTERVAL} is up (a burst of writes). */
    static final long WAKE_AFTER = 200;

    /**
     * Frames in the WAL above which a pass is followed by a catch-up holding the writer: 64 MiB of
     * 4 KiB pages, the {@code journal_size_limit}. Measured under refresh load, a pass copies a WAL of
     * a few thousand frames in 5–300 ms (most of it the fsync on a busy disk) and one pass in a few
     * finds no commit landed meanwhile, so the WAL rewinds by itself; holding the writer for that
     * fsync on every pass made the tail worse, so it is kept for a WAL that really keeps growing.
     */
    static final int CATCH_UP_FRAMES = 16_384;

    /** What {@code PRAGMA wal_checkpoint} answered: whether it was blocked, frames in the WAL, frames checkpointed. */
    private record Pass(boolean busy, int frames, int checkpointed) {
        static final Pass FAILED = new Pass(true, -1, -1);
    }

    private final Connection connection;
    private final DataSource writer;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private long seen;
    private boolean truncated;
    private @Nullable String lastFailure;

    private Checkpointer(Connection connection, DataSource writer) {
        this.connection = connection;
        this.writer = writer;
        this.thread = Thread.ofPlatform().daemon().name("signet-wal-checkpoint").unstarted(this::loop);
    }

    /**
     * Opens the checkpointer's own connection to the database at {@code url} and starts it;
     * {@code writer} is the pool of the single write connection, borrowed to catch up and truncate.
     */
    static Checkpointer start(String url, DataSource writer) {
        Properties p = new Properties();
        p.setProperty("busy_timeout", "0"); // never wait for a request's lock: give up and try again later
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("wal_autocheckpoint", "0");
        try {
            Connection c = DriverManager.getConnection(url, p); // auto-commit: a checkpoint cannot run inside a transaction
            Checkpointer cp = new Checkpointer(c, writer);
            cp.thread.start();
            return cp;
        } catch (SQLException e) {
            throw Sql.translate(e, "open the WAL checkpointer");
        }
    }

    /** Called after each committed write unit (cheap: one atomic increment, rarely a wake-up). */
    void committed() {
        if (committed.incrementAndGet() - seen >= WAKE_AFTER) {
            LockSupport.unpark(thread);
        }
    }

    /** Completed checkpoints that found frames in the WAL, so far (tests, diagnostics). */
    long passes() {
        return passes.get();
    }

    /** Whether the checkpointer's thread is still running (tests: none is left after {@link #close}). */
    boolean running() {
        return thread.isAlive();
    }

    private void loop() {
        while (!closed) {
            LockSupport.parkNanos(INTERVAL.toNanos());
            if (closed) {
                break;
            }
            long n = committed.get();
            if (n != seen) {
                seen = n;
                truncated = false;
                Pass pass = checkpoint("PASSIVE");
                if (pass.frames() > CATCH_UP_FRAMES) {
                    holdingWriter("PASSIVE");
                }
            } else if (!truncated) {
                Pass pass = holdingWriter("TRUNCATE");
                truncated = !pass.busy();
            }
        }
    }

    /** A checkpoint while this thread holds the write connection, so that no commit lands during it. */
    private Pass holdingWriter(String mode) {
        try (Connection held = writer.getConnection()) {
            return checkpoint(mode);
        } catch (SQLException e) {
            failed(mode, e); // the writer was busy for the whole store timeout: try again in the next pass
            return Pass.FAILED;
        }
    }

    /** Runs one checkpoint. Failures are logged once per distinct message, never thrown. */
    private Pass checkpoint(String mode) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            // SQLite: busy (0/1), frames in the WAL, frames checkpointed (-1 when not in WAL mode)
            Pass pass = rs.next() ? new Pass(rs.getInt(1) != 0, rs.getInt(2), rs.getInt(3)) : Pass.FAILED;
            if (!pass.busy() && pass.frames() > 0) {
                passes.incrementAndGet();
            }
            lastFailure = null;
            return pass;
        } catch (SQLException e) {
            failed(mode, e);
            return Pass.FAILED;
        }
    }

    private void failed(String mode, SQLException e) {
        String what = String.valueOf(e.getMessage());
        if (!what.equals(lastFailure)) {
            LOG.warn("WAL checkpoint ({}) failed, retrying in the next pass: {}", mode, what);
            lastFailure = what;
        }
    }

    /** Stops the thread, waits for it (a pass in progress finishes), then closes the connection. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing a connection that ran only checkpoints: nothing to lose
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
