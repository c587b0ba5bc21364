package dev.signet.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.signet.Reason;
import dev.signet.UnavailableException;
import dev.signet.store.Transactions;
import dev.signet.store.Tx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConnection;

/**
 * The embedded database: SQLite in WAL mode, one write connection (SQLite has one writer; a single
 * connection avoids busy-waiting between our own threads) and a small read pool. Schema changes are
 * Flyway migrations in {@code db/migration}.
 *
 * <p>{@code synchronous=NORMAL}: in WAL mode a crash of Signet loses nothing; a power loss may lose
 * the last transactions (sessions, codes), never corrupt the file.
 *
 * <p>Design note, per-call cost (a login makes about a dozen store calls, so the fixed cost of a
 * call matters more than the SQL):
 * <ul>
 *   <li><b>Statements are prepared once per connection</b> ({@link Statements}): compiling the SQL
 *       was a third of SQLite's CPU time. The cache belongs to the physical connection, so only
 *       the thread that borrowed it uses it; result sets are always closed, which resets the
 *       statement (no read snapshot outlives the call, WAL checkpoints are not held back).
 *       Connections are not retired by age ({@code maxLifetime=0}: no server times them out).
 *   <li><b>Connections stay in manual-commit mode.</b> sqlite-jdbc then keeps a deferred
 *       {@code BEGIN} open between units of work; it takes no lock and no snapshot until the first
 *       statement, so a unit of work is its statements plus {@code commit()} (COMMIT, BEGIN).
 *       Switching auto-commit off and on around each unit of work cost two more statements.
 *   <li><b>Reads are still transactions</b>: a read of several statements (the grant, then its
 *       user) sees one snapshot, as before; the transaction costs no more than its commit.
 *   <li>Any {@link Throwable} rolls back; if the rollback fails, the connection is evicted from
 *       the pool (closing it rolls back) rather than lent out with writes still pending.
 * </ul>
 */
public final class Database implements Transactions, AutoCloseable {

    /**
     * How long a unit of work may wait for a connection (Hikari {@code connectionTimeout}) and for a
     * lock (SQLite {@code busy_timeout}) unless configured ({@code data.timeout}): a hanging store
     * then holds a request for at most this long, so threads cannot pile up behind it.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private final HikariDataSource writer;
    private final HikariDataSource readers;
    private final Duration timeout;
    private final ConnectionGate gate;
    private final Map<Connection, Statements> statements = new ConcurrentHashMap<>();

    /** The version of the newest migration in {@code db/migration} (a test keeps the two equal). */
    static final int SCHEMA_VERSION = 5;

    private Database(HikariDataSource writer, HikariDataSource readers, Duration timeout, ConnectionGate gate) {
        this.writer = writer;
        this.readers = readers;
        this.timeout = timeout;
        this.gate = gate;
    }

    /** Opens (creating if needed) {@code dir/signet.db} and migrates it to the current schema. */
    public static Database openEmbedded(Path dir) {
        return openEmbedded(dir, DEFAULT_TIMEOUT, ConnectionGate.OPEN);
    }

    /** As {@link #openEmbedded(Path)}, with the store timeout and a fault switch (tests). */
    public static Database openEmbedded(Path dir, Duration timeout, ConnectionGate gate) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UnavailableException(Reason.STORE_UNAVAILABLE, "cannot create data directory " + dir, e);
        }
        String url = "jdbc:sqlite:" + dir.resolve("signet.db").toAbsolutePath();
        HikariDataSource writer = pool(url, "signet-write", 1, timeout);
        if (schemaVersion(writer) != SCHEMA_VERSION) {
            Flyway.configure().dataSource(writer).locations("classpath:db/migration").load().migrate();
        }
        HikariDataSource readers = pool(url, "signet-read", 4, timeout);
        return new Database(writer, readers, timeout, gate);
    }

    /**
     * The applied schema version, read directly so that a start on a current database does not
     * load Flyway at all (about half of the store's start-up time); 0 when the database is new.
     */
    static int schemaVersion(HikariDataSource pool) {
        try (Connection c = pool.getConnection(); var st = c.createStatement()) {
            try (var rs = st.executeQuery("SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success = 1")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        } catch (SQLException e) {
            return 0; // no history table yet: a new database, Flyway creates it
        }
    }

    private static HikariDataSource pool(String url, String name, int size, Duration timeout) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setPoolName(name);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(Math.max(250, timeout.toMillis())); // Hikari's floor is 250 ms
        c.setMaxLifetime(0); // no server to time connections out; retiring them would drop their statements
        c.setAutoCommit(false); // always in a (deferred) transaction: see the class comment
        c.addDataSourceProperty("journal_mode", "WAL");
        c.addDataSourceProperty("synchronous", "NORMAL");
        c.addDataSourceProperty("busy_timeout", String.valueOf(timeout.toMillis()));
        c.addDataSourceProperty("foreign_keys", "true");
        c.addDataSourceProperty("jdbc.get_generated_keys", "false"); // no regex over every INSERT
        c.addDataSourceProperty("journal_size_limit", String.valueOf(64L * 1024 * 1024));
        return new HikariDataSource(c);
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        return run(writer, true, work);
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        return run(readers, false, work);
    }

    /**
     * Readiness (issue 17): whether a sign-in could write now. Borrows the write connection, runs a
     * write statement (it matches no row but takes the write lock, so a read-only, full or locked
     * database refuses it) and rolls it back: nothing is changed.
     *
     * @throws dev.signet.UnavailableException when the store refuses the write
     */
    public void writeRolledBack() {
        try {
            run(writer, true, tx -> {
                Sql.update(tx, "DELETE FROM outbox WHERE id = ?", "signet-readiness-check");
                throw new RolledBack();
            });
        } catch (RolledBack expected) {
            // the write went through and was undone
        }
    }

    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super("readiness write rolled back", null, false, false);
        }
    }

    private <T> T run(HikariDataSource pool, boolean write, Function<Tx, T> work) {
        Connection c;
        try {
            gate.beforeBorrow(write, timeout);
            c = pool.getConnection();
        } catch (SQLException e) {
            throw new UnavailableException(Reason.STORE_UNAVAILABLE, "no database connection within the timeout", e);
        }
        try (c) {
            Statements statements = statements(c);
            try {
                T result = work.apply(new JdbcTx(statements));
                c.commit();
                return result;
            } catch (Throwable e) {
                // Not only RuntimeException: an Error or a failed commit must not leave its writes
                // pending on the connection, where the next unit of work would commit them.
                rollbackOrEvict(pool, c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw Sql.translate(e, "commit");
        }
    }

    /** The statement cache of the physical connection behind the pool's proxy {@code c}. */
    private Statements statements(Connection c) throws SQLException {
        Connection physical = c.unwrap(SQLiteConnection.class);
        Statements found = statements.get(physical);
        if (found != null) {
            return found;
        }
        // A new physical connection (rare: the pools are small and connections are not retired by
        // age): forget the caches of the connections the pool has closed meanwhile.
        statements.keySet().removeIf(Database::closed);
        return statements.computeIfAbsent(physical, Statements::new);
    }

    private static boolean closed(Connection physical) {
        try {
            return physical.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * Rolls back; if even that fails, the transaction may still be open on the connection, so the
     * pool closes the connection (SQLite then rolls it back) instead of lending it out again.
     */
    private static void rollbackOrEvict(HikariDataSource pool, Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
            pool.evictConnection(c);
        }
    }

    @Override
    public void close() {
        readers.close();
        writer.close();
    }
}
