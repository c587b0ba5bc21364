package dev.signet.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 *       other write) and runs another PASSIVE pass; the next writer then starts the WAL over from
 *       its beginning. What the writers wait for is kept short, without holding them first:
 *       <ol>
 *         <li>the database file is flushed to disk ({@code fsync} through a descriptor of the
 *             checkpointer's own). SQLite syncs the database file only at the end of a
 *             checkpoint that copied the whole WAL, so until the catch-up every page the passes
 *             copied (tens of MiB) is still in the page cache, and the held pass's sync wrote all
 *             of it: 15–55 ms holding the writer under refresh load on the benchmark machine;
 *         <li>more PASSIVE passes, up to {@link #CATCH_UP_PASSES}, until one finds at most
 *             {@link #CATCH_UP_REMAINDER} frames appended since the one before;
 *         <li>the held pass copies those few frames and syncs the WAL and the database file, each
 *             with little left to write (3–10 ms measured).
 *       </ol>
 *       Usually a catch-up is not needed: a pass often ends with no commit having landed
 *       meanwhile, and the WAL rewinds by itself.
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
     * 4 KiB pages. Measured under refresh load, a pass copies a WAL of a few thousand frames in 5–300
     * ms and one pass in a few finds no commit landed meanwhile, so the WAL rewinds by itself; holding
     * the writer on every pass made the tail worse, so it is kept for a WAL that really keeps growing.
     * The pools' {@code journal_size_limit} (128 MiB) is above what the WAL reaches before a catch-up
     * rewinds it (~20,000 frames at 2,500 commits/s), so a rewound WAL is written over in place, not
     * cut short by the first commit and grown again block by block.
     */
    static final int CATCH_UP_FRAMES = 16_384;

    /** Frames appended since the previous pass at or below which the catch-up stops passing and holds the writer. */
    static final int CATCH_UP_REMAINDER = 256;

    /** Most unheld passes a catch-up runs before it holds the writer (each copies what the one before left). */
    static final int CATCH_UP_PASSES = 4;

    /** What {@code PRAGMA wal_checkpoint} answered: whether it was blocked, frames in the WAL, frames checkpointed. */
    private record Pass(boolean busy, int frames, int checkpointed) {
        static final Pass FAILED = new Pass(true, -1, -1);
    }

    private final Connection connection;
    private final FileChannel database;
    private final DataSource writer;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong passes = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private long seen;
    private boolean truncated;
    private @Nullable String lastFailure;

    private Checkpointer(Connection connection, FileChannel database, DataSource writer) {
        this.connection = connection;
        this.database = database;
        this.writer = writer;
        this.thread = Thread.ofPlatform().daemon().name("signet-wal-checkpoint").unstarted(this::loop);
    }

    /**
     * Opens the checkpointer's own connection to the database at {@code url} (the file {@code file})
     * and starts it; {@code writer} is the pool of the single write connection, borrowed to catch up
     * and truncate.
     *
     * <p>The file is also opened once, read-only, to flush it before a catch-up. It stays open until
     * {@link #release()}, after every SQLite connection of the store is closed: closing a descriptor
     * drops every POSIX lock the process holds on that file, SQLite's included (sqlite.org,
     * "How To Corrupt", §2.2.1), so it is never closed while the store's connections are open.
     */
    static Checkpointer start(String url, Path file, DataSource writer) {
        Properties p = new Properties();
        p.setProperty("busy_timeout", "0"); // never wait for a request's lock: give up and try again later
        p.setProperty("synchronous", "NORMAL");
        p.setProperty("wal_autocheckpoint", "0");
        FileChannel database;
        try {
            database = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file + " for the WAL checkpointer", e);
        }
        try {
            Connection c = DriverManager.getConnection(url, p); // auto-commit: a checkpoint cannot run inside a transaction
            Checkpointer cp = new Checkpointer(c, database, writer);
            cp.thread.start();
            return cp;
        } catch (SQLException e) {
            closeQuietly(database);
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
                    catchUp(pass);
                }
            } else if (!truncated) {
                Pass pass = holdingWriter("TRUNCATE");
                truncated = !pass.busy();
            }
        }
    }

    /** The catch-up (see the class comment): flush, pass until little is left, then hold the writer for the rest. */
    private void catchUp(Pass first) {
        flushDatabaseFile();
        int frames = first.frames();
        for (int i = 0; i < CATCH_UP_PASSES; i++) {
            Pass again = checkpoint("PASSIVE");
            int appended = again.frames() - frames;
            frames = again.frames();
            if (again.busy() || appended <= CATCH_UP_REMAINDER) {
                break;
            }
        }
        holdingWriter("PASSIVE");
    }

    /**
     * {@code fsync} of the database file, so that the held pass's own sync has only its few pages to
     * write. Extra durability, never less: SQLite's own syncs still run. A failure is logged like a
     * failed checkpoint and the catch-up goes on (its sync is then just slower).
     */
    private void flushDatabaseFile() {
        try {
            database.force(false);
        } catch (IOException e) {
            String what = "flush of the database file: " + e.getMessage();
            if (!what.equals(lastFailure)) {
                LOG.warn("WAL checkpoint catch-up: {}", what);
                lastFailure = what;
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

    /**
     * Closes the descriptor opened to flush the database file; called once every SQLite connection of
     * the store is closed (see {@link #start}).
     */
    void release() {
        closeQuietly(database);
    }

    private static void closeQuietly(FileChannel file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // a read-only descriptor: nothing to lose
        }
    }

    /**
     * Stops the thread, waits for it (a pass in progress finishes), then closes the connection; the
     * file descriptor stays open until {@link #release()}.
     */
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
