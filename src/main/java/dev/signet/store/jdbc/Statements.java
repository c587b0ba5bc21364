package dev.signet.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one physical connection, kept across transactions so that each SQL
 * string is compiled once per connection instead of once per call (sqlite3_prepare was a third of
 * SQLite's CPU time). Only the thread that has borrowed the connection from the pool uses it, so
 * a statement is never shared between two threads; the pool's hand-off orders the accesses.
 *
 * <p>The statements are prepared on the driver's own connection, not on the pool's proxy, so the
 * pool does not close them when the connection is returned. Callers always close their result
 * sets (which resets the statement) and bind every parameter on each call.
 */
final class Statements {

    /** Far more than the distinct SQL strings of the store; a bound in case dynamic SQL appears. */
    private static final int MAX = 128;

    private final Connection physical;
    private final Map<String, PreparedStatement> bySql = new HashMap<>();
    private @org.jspecify.annotations.Nullable Boolean postgres;

    Statements(Connection physical) {
        this.physical = physical;
    }

    Connection physical() {
        return physical;
    }

    /** True on PostgreSQL (asked of the driver once per connection). */
    boolean postgres() {
        Boolean p = postgres;
        if (p == null) {
            try {
                p = physical.getMetaData().getURL().startsWith("jdbc:postgresql:");
            } catch (SQLException e) {
                p = false;
            }
            postgres = p;
        }
        return p;
    }

    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement ps = bySql.get(sql);
        if (ps != null && !ps.isClosed()) {
            return ps;
        }
        if (bySql.size() >= MAX) {
            closeAll();
        }
        ps = physical.prepareStatement(sql);
        bySql.put(sql, ps);
        return ps;
    }

    /** Drops a statement after a failure, so that a statement in an unknown state is not reused. */
    void discard(String sql) {
        PreparedStatement ps = bySql.remove(sql);
        if (ps != null) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the statement is gone either way
            }
        }
    }

    private void closeAll() {
        for (String sql : Map.copyOf(bySql).keySet()) {
            discard(sql);
        }
    }
}
