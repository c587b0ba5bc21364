package dev.signet.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.signet.Reason;
import dev.signet.UnavailableException;
import dev.signet.config.DataSettings;
import dev.signet.config.DataSettings.PostgresSettings;
import dev.signet.store.Transactions;
import dev.signet.store.Tx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

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
 *
 * <p><b>PostgreSQL</b> ({@link #openPostgres}, several nodes on one database): one pool for reads and
 * writes ({@code data.postgres.pool_size}), READ COMMITTED, auto-commit off, the same statement cache
 * per connection (pgjdbc turns a statement executed five times into a server-side prepared one).
 * The differences that matter:
 * <ul>
 *   <li>Writers run concurrently; the compare-and-set updates ({@code ... WHERE used = 0}) stay
 *       correct because PostgreSQL re-checks the condition on the row it waited for.
 *   <li>Under READ COMMITTED each statement of a read sees its own snapshot (not one per unit of
 *       work as on SQLite); no read of the store depends on two statements agreeing.
 *   <li>{@code data.timeout} bounds the wait for a connection (Hikari), connecting (pgjdbc
 *       {@code connectTimeout}), each statement ({@code statement_timeout}) and each lock wait
 *       ({@code lock_timeout}); a server that stops answering is cut off by pgjdbc's
 *       {@code socketTimeout} a little later. Every failure is {@link Reason#STORE_UNAVAILABLE}.
 *   <li>Connections are retired after {@link #PG_MAX_LIFETIME} (below any server or proxy idle
 *       cut-off) and a connection that failed with a connection-class error (SQLState 08, 57P) is
 *       evicted, so the pool heals by itself after a PostgreSQL restart.
 *   <li>Migrations run through Flyway on a connection of their own, without the statement and lock
 *       timeouts: Flyway holds a PostgreSQL advisory lock while it migrates, so when several nodes
 *       start at once on a new database one migrates and the others wait, then find nothing to do.
 * </ul>
 */
public final class Database implements Transactions, AutoCloseable {

    /**
     * How long a unit of work may wait for a connection (Hikari {@code connectionTimeout}) and for a
     * lock (SQLite {@code busy_timeout}) unless configured ({@code data.timeout}): a hanging store
     * then holds a request for at most this long, so threads cannot pile up behind it.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** Connections to PostgreSQL are replaced after this long (Hikari {@code maxLifetime}). */
    static final Duration PG_MAX_LIFETIME = Duration.ofMinutes(30);

    /** Which database is behind the JDBC layer; SQL in {@code store/jdbc} is written to run on both. */
    public enum Dialect { SQLITE, POSTGRESQL }

    private final Dialect dialect;
    private final HikariDataSource writer;
    private final HikariDataSource readers;
    private final Duration timeout;
    private final ConnectionGate gate;
    private final @Nullable Checkpointer checkpointer;
    private final @Nullable WriterThread writerThread;
    private final Map<Connection, Statements> statements = new ConcurrentHashMap<>();

    /** The version of the newest migration in {@code db/migration} (a test keeps the two equal). */
    static final int SCHEMA_VERSION = 11;

    private Database(Dialect dialect, HikariDataSource writer, HikariDataSource readers, Duration timeout, ConnectionGate gate,
            @Nullable Checkpointer checkpointer) {
        this.dialect = dialect;
        this.checkpointer = checkpointer;
        // SQLite's one write connection gets one platform thread (WriterThread); PostgreSQL's writers run concurrently
        this.writerThread = dialect == Dialect.SQLITE ? new WriterThread(timeout) : null;
        this.writer = writer;
        this.readers = readers;
        this.timeout = timeout;
        this.gate = gate;
    }

    /** The store {@code data} names: PostgreSQL when {@code data.postgres} is set, else SQLite under {@code data.dir}. */
    public static Database open(DataSettings data, ConnectionGate gate) {
        Optional<PostgresSettings> pg = data.postgres();
        return pg.isPresent() ? openPostgres(pg.get(), data.timeout(), gate) : openEmbedded(data.dir(), data.timeout(), gate);
    }

    /**
     * Whether opening the store will create a new embedded database (no {@code signet.db} yet): its
     * schema and keys are about to be created. False on PostgreSQL (the server knows, not a file).
     */
    public static boolean isNew(DataSettings data) {
        return data.postgres().isEmpty() && !Files.exists(data.dir().resolve("signet.db"));
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The embedded store's WAL checkpointer; none on PostgreSQL (tests). */
    Optional<Checkpointer> checkpointer() {
        return Optional.ofNullable(checkpointer);
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
        Path file = dir.resolve("signet.db").toAbsolutePath();
        String url = "jdbc:sqlite:" + file;
        HikariDataSource writer = pool(url, "signet-write", 1, timeout);
        if (schemaVersion(writer) != SCHEMA_VERSION) {
            Flyway.configure().dataSource(writer).locations("classpath:db/migration").load().migrate();
        }
        HikariDataSource readers = pool(url, "signet-read", 4, timeout);
        Checkpointer checkpointer;
        try {
            checkpointer = Checkpointer.start(url, file, writer);
        } catch (RuntimeException e) {
            readers.close();
            writer.close();
            throw e;
        }
        return new Database(Dialect.SQLITE, writer, readers, timeout, gate, checkpointer);
    }

    /**
     * Connects to the PostgreSQL database {@code pg} names and migrates it to the current schema
     * unless it is already there (or newer: a node of the previous version on a migrated database).
     * Throws {@link UnavailableException} when PostgreSQL cannot be reached.
     */
    public static Database openPostgres(PostgresSettings pg, Duration timeout, ConnectionGate gate) {
        HikariDataSource pool;
        try {
            pool = postgresPool(pg, timeout);
        } catch (RuntimeException e) {
            throw new UnavailableException(Reason.STORE_UNAVAILABLE, "cannot connect to PostgreSQL at " + pg.url() + " as " + pg.user()
                    + ": " + rootMessage(e), e);
        }
        try {
            if (schemaVersion(pool, Dialect.POSTGRESQL) < SCHEMA_VERSION) {
                migratePostgres(pg);
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e instanceof UnavailableException ? e : new UnavailableException(Reason.STORE_UNAVAILABLE,
                    "cannot migrate the PostgreSQL database at " + pg.url() + ": " + rootMessage(e), e);
        }
        return new Database(Dialect.POSTGRESQL, pool, pool, timeout, gate, null);
    }

    /**
     * Flyway on its own connections (no statement or lock timeout: a migration may take long, and a
     * node waits here while another holds Flyway's advisory lock and migrates).
     */
    static void migratePostgres(PostgresSettings pg) {
        Migrations.configure(pg).load().migrate();
    }

    private static HikariDataSource postgresPool(PostgresSettings pg, Duration timeout) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(pg.url());
        c.setUsername(pg.user());
        pg.password().ifPresent(p -> c.setPassword(p.value()));
        c.setPoolName("signet-pg");
        c.setMaximumPoolSize(pg.poolSize());
        c.setMinimumIdle(Math.min(2, pg.poolSize())); // grows under load, shrinks after idleTimeout
        long ms = Math.max(250, timeout.toMillis()); // Hikari's floor is 250 ms
        c.setConnectionTimeout(ms);
        c.setValidationTimeout(Math.max(250, ms / 2));
        c.setMaxLifetime(PG_MAX_LIFETIME.toMillis());
        c.setAutoCommit(false);
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        int seconds = (int) Math.max(1, (ms + 999) / 1000);
        c.addDataSourceProperty("connectTimeout", String.valueOf(seconds));
        c.addDataSourceProperty("loginTimeout", String.valueOf(seconds));
        // the server cancels a statement or lock wait at the timeout; the socket timeout (later) is for a server that stopped answering
        c.addDataSourceProperty("options", "-c statement_timeout=" + ms + " -c lock_timeout=" + ms);
        c.addDataSourceProperty("socketTimeout", String.valueOf(seconds + 5));
        c.addDataSourceProperty("tcpKeepAlive", "true");
        c.addDataSourceProperty("ApplicationName", "signet");
        return new HikariDataSource(c);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    /**
     * The applied schema version, read directly so that a start on a current database does not
     * load Flyway at all (about half of the store's start-up time); 0 when the database is new.
     */
    static int schemaVersion(HikariDataSource pool) {
        return schemaVersion(pool, Dialect.SQLITE);
    }

    static int schemaVersion(HikariDataSource pool, Dialect dialect) {
        // Flyway keeps success as an integer on SQLite and as a boolean on PostgreSQL
        String sql = "SELECT MAX(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE "
                + (dialect == Dialect.SQLITE ? "success = 1" : "success");
        try (Connection c = pool.getConnection(); var st = c.createStatement()) {
            try (var rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getInt(1) : 0;
            } finally {
                c.rollback(); // on PostgreSQL a failed query leaves the transaction aborted; never hand it back open
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
        // above what the WAL reaches before the Checkpointer's catch-up rewinds it (Checkpointer.CATCH_UP_FRAMES)
        c.addDataSourceProperty("journal_size_limit", String.valueOf(128L * 1024 * 1024));
        c.addDataSourceProperty("wal_autocheckpoint", "0"); // the Checkpointer's thread checkpoints, never a committing request
        return new HikariDataSource(c);
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        WriterThread w = writerThread;
        return w == null ? run(writer, true, work) : w.run(() -> run(writer, true, work));
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
            write(tx -> {
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
                commit(c, statements);
                if (write && checkpointer != null) {
                    checkpointer.committed();
                }
                return result;
            } catch (Throwable e) {
                // Not only RuntimeException: an Error or a failed commit must not leave its writes
                // pending on the connection, where the next unit of work would commit them.
                if (connectionLost(e)) {
                    pool.evictConnection(c); // statements run on the physical connection, so the pool did not see the error
                } else {
                    rollbackOrEvict(pool, c, e);
                }
                throw e;
            }
        } catch (SQLException e) {
            throw Sql.translate(e, "commit");
        }
    }

    /**
     * Ends the unit of work. On SQLite through the connection's own prepared {@code COMMIT} and
     * {@code BEGIN} (deferred, as the driver's): sqlite-jdbc's {@code commit()} compiles and
     * finalizes both statements on every call ({@code sqlite3_prepare} + {@code finalize} twice per
     * unit of work). The driver's state stays as it expects: auto-commit off, a transaction open.
     * A failure leaves the connection to the rollback path, which goes through the driver.
     */
    private void commit(Connection c, Statements statements) throws SQLException {
        if (dialect == Dialect.POSTGRESQL) {
            c.commit(); // PostgreSQL: pgjdbc's commit is one protocol message, BEGIN goes with the next statement
            return;
        }
        statements.prepare("COMMIT").execute();
        statements.prepare("BEGIN").execute();
    }

    /**
     * Whether {@code e} says the connection itself is gone: SQLState class 08 (connection
     * exception) or 57P (the server shut down or terminated the session, e.g. a PostgreSQL restart).
     */
    static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    /** The statement cache of the physical connection behind the pool's proxy {@code c}. */
    private Statements statements(Connection c) throws SQLException {
        Connection physical = c.unwrap(Connection.class); // Hikari hands out the driver's connection it wraps
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
        if (writerThread != null) {
            writerThread.close(); // the units already handed in run first
        }
        if (checkpointer != null) {
            checkpointer.close();
        }
        readers.close();
        if (writer != readers) {
            writer.close();
        }
        if (checkpointer != null) {
            checkpointer.release(); // after every connection: see Checkpointer.start
        }
    }
}
