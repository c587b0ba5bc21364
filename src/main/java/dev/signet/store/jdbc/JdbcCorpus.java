package dev.signet.store.jdbc;

import dev.signet.store.CorpusEntry;
import dev.signet.store.CorpusStore;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link CorpusStore} over JDBC: one insert and one indexed trim per recorded exchange;
 * {@code seq} orders a connection's exchanges (clocks of several nodes cannot). */
public final class JdbcCorpus implements CorpusStore {

    @Override
    public void add(Tx tx, CorpusEntry e, int limit) {
        Sql.update(tx, "INSERT INTO upstream_corpus (id, tenant, connection, seq, recorded_at, outcome, entry)"
                + " SELECT ?, ?, ?, COALESCE(MAX(seq), 0) + 1, ?, ?, ? FROM upstream_corpus WHERE tenant = ? AND connection = ?",
                e.id(), e.tenant(), e.connection(), e.recordedAt(), e.outcome(), e.entry(), e.tenant(), e.connection());
        // The trim runs on every recorded sign-in (issue 16): each subquery runs once per statement, not
        // once per row (correlated MIN/MAX per row were ~4% of a login's CPU at 200 rows). The cut-off
        // is the seq of the newest row beyond the limit (none while under it: nothing is deleted).
        Sql.update(tx, "DELETE FROM upstream_corpus WHERE tenant = ? AND connection = ?"
                + " AND seq <= (SELECT seq FROM upstream_corpus WHERE tenant = ? AND connection = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)"
                + " AND seq NOT IN (SELECT MIN(seq) FROM upstream_corpus WHERE tenant = ? AND connection = ? GROUP BY outcome"
                + " UNION SELECT MAX(seq) FROM upstream_corpus WHERE tenant = ? AND connection = ? GROUP BY outcome)",
                e.tenant(), e.connection(), e.tenant(), e.connection(), limit, e.tenant(), e.connection(), e.tenant(), e.connection());
    }

    @Override
    public List<CorpusEntry> list(Tx tx, String tenant, Optional<String> connection) {
        String c = connection.orElse(null);
        return Sql.list(tx, "SELECT id, tenant, connection, recorded_at, outcome, entry FROM upstream_corpus"
                + " WHERE tenant = ? AND (? IS NULL OR connection = ?) ORDER BY connection, seq", JdbcCorpus::entry,
                tenant, c, c);
    }

    private static CorpusEntry entry(ResultSet rs) throws SQLException {
        return new CorpusEntry(rs.getString("id"), rs.getString("tenant"), rs.getString("connection"), Sql.instant(rs, "recorded_at"),
                rs.getString("outcome"), rs.getString("entry"));
    }
}
