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
import java.util.function.Function;
import org.flywaydb.core.Flyway;

/**
 * The embedded database: SQLite in WAL mode, one write connection (SQLite has one writer; a single
 * connection avoids busy-waiting between our own threads) and a small read pool. Schema changes are
 * Flyway migrations in {@code db/migration}.
 *
 * <p>{@code synchronous=NORMAL}: in WAL mode a crash of Signet loses nothing; a power loss may lose
 * the last transactions (sessions, codes), never corrupt the file.
 */
public final class Database implements Transactions, AutoCloseable {

    private final HikariDataSource writer;
    private final HikariDataSource readers;

    /** The version of the newest migration in {@code db/migration} (a test keeps the two equal). */
    static final int SCHEMA_VERSION = 1;

    private Database(HikariDataSource writer, HikariDataSource readers) {
        this.writer = writer;
        this.readers = readers;
    }

    /** Opens (creating if needed) {@code dir/signet.db} and migrates it to the current schema. */
    public static Database openEmbedded(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UnavailableException(Reason.STORE_UNAVAILABLE, "cannot create data directory " + dir, e);
        }
        String url = "jdbc:sqlite:" + dir.resolve("signet.db").toAbsolutePath();
        HikariDataSource writer = pool(url, "signet-write", 1);
        if (schemaVersion(writer) != SCHEMA_VERSION) {
            Flyway.configure().dataSource(writer).locations("classpath:db/migration").load().migrate();
        }
        HikariDataSource readers = pool(url, "signet-read", 4);
        return new Database(writer, readers);
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

    private static HikariDataSource pool(String url, String name, int size) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setPoolName(name);
        c.setMaximumPoolSize(size);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(5_000);
        c.setAutoCommit(true);
        c.addDataSourceProperty("journal_mode", "WAL");
        c.addDataSourceProperty("synchronous", "NORMAL");
        c.addDataSourceProperty("busy_timeout", "5000");
        c.addDataSourceProperty("foreign_keys", "true");
        c.addDataSourceProperty("jdbc.get_generated_keys", "false"); // no regex over every INSERT
        c.addDataSourceProperty("journal_size_limit", String.valueOf(64L * 1024 * 1024));
        return new HikariDataSource(c);
    }

    @Override
    public <T> T write(Function<Tx, T> work) {
        return run(writer, work);
    }

    @Override
    public <T> T read(Function<Tx, T> work) {
        return run(readers, work);
    }

    private static <T> T run(HikariDataSource pool, Function<Tx, T> work) {
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException e) {
            throw new UnavailableException(Reason.STORE_UNAVAILABLE, "no database connection within the timeout", e);
        }
        try (c) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(new JdbcTx(c));
                c.commit();
                return result;
            } catch (Throwable e) {
                // Not only RuntimeException: the setAutoCommit(true) below commits whatever is
                // pending, so an Error or a failed commit must be rolled back here first.
                rollbackQuietly(c, e);
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw Sql.translate(e, "commit");
        }
    }

    private static void rollbackQuietly(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        readers.close();
        writer.close();
    }
}
