package dev.signet.store.jdbc;

import dev.signet.InternalException;
import dev.signet.Reason;
import dev.signet.UnavailableException;
import dev.signet.store.Tx;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The few JDBC moves every store needs, with SQL errors mapped to Signet's error model. */
final class Sql {

    /** PostgreSQL's SQLState for a unique or primary key violation. */
    static final String UNIQUE_VIOLATION = "23505";

    private Sql() {}

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static Statements statements(Tx tx) {
        if (tx instanceof JdbcTx j) {
            return j.statements();
        }
        throw new IllegalArgumentException("not a JDBC transaction: " + tx);
    }

    /** True when the transaction runs on PostgreSQL (for the few statements the embedded store has no equivalent of). */
    static boolean postgres(Tx tx) {
        return statements(tx).postgres();
    }

    // The statements come from the connection's cache and stay open; the result sets are always
    // closed (which resets the statement, so it holds no read snapshot and no WAL checkpoint waits).

    static int update(Tx tx, String sql, Object... args) {
        Statements statements = statements(tx);
        try {
            PreparedStatement ps = statements.prepare(sql);
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            statements.discard(sql);
            throw translate(e, sql);
        }
    }

    static <T> List<T> list(Tx tx, String sql, Row<T> row, Object... args) {
        Statements statements = statements(tx);
        try {
            PreparedStatement ps = statements.prepare(sql);
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            statements.discard(sql);
            throw translate(e, sql);
        }
    }

    static <T> Optional<T> one(Tx tx, String sql, Row<T> row, Object... args) {
        List<T> all = list(tx, sql, row, args);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            bindOne(ps, i + 1, a instanceof Optional<?> o ? o.orElse(null) : a);
        }
    }

    private static void bindOne(PreparedStatement ps, int i, Object a) throws SQLException {
        switch (a) {
            case null -> ps.setNull(i, Types.VARCHAR);
            case Instant t -> ps.setLong(i, t.toEpochMilli());
            case Boolean b -> ps.setInt(i, b ? 1 : 0);
            default -> ps.setObject(i, a);
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return Instant.ofEpochMilli(rs.getLong(column));
    }

    static Optional<String> optional(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    static boolean flag(ResultSet rs, String column) throws SQLException {
        return rs.getInt(column) != 0;
    }

    /**
     * A constraint violation is a bug in Signet (an internal error); anything else means the store
     * did not answer as it should and is reported as unavailable, to be retried.
     *
     * <p>Except PostgreSQL's unique violation ({@value #UNIQUE_VIOLATION}): with several writers
     * (nodes, or requests on one node) two transactions may both find a row missing and both insert
     * it, e.g. two first sign-ins of one upstream identity; the later one fails on commit order, and
     * its retry finds the row. SQLite has one writer, so there a duplicate is always a bug.
     */
    static RuntimeException translate(SQLException e, String what) {
        String state = e.getSQLState();
        if (UNIQUE_VIOLATION.equals(state)) {
            return new UnavailableException(Reason.STORE_UNAVAILABLE, "written concurrently, retry: " + firstWords(what), e);
        }
        boolean constraint = e instanceof SQLIntegrityConstraintViolationException
                || (state != null && state.startsWith("23"))
                || (e.getMessage() != null && e.getMessage().contains("SQLITE_CONSTRAINT"));
        if (constraint) {
            return new InternalException("store constraint violated: " + firstWords(what), e);
        }
        return new UnavailableException(Reason.STORE_UNAVAILABLE, "store call failed: " + firstWords(what), e);
    }

    private static String firstWords(String sql) {
        return sql.length() > 40 ? sql.substring(0, 40) + "…" : sql;
    }
}
