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
        // The trim runs on every recorded sign-in (issue 16): the index (tenant, connection, seq) finds the
        // candidates (older than the limit-th newest: usually one row) and, per candidate, the first and
        // last row of its outcome by walking seq in order until the outcome matches; no scan of the
        // connection's rows (each a few KB). 2,000 inserts at the cap of 200, Python's SQLite: ~150 us
        // each with correlated MIN/MAX per row, ~90 with GROUP BY subqueries, ~20 like this.
        Sql.update(tx, "DELETE FROM upstream_corpus WHERE tenant = ? AND connection = ?"
                + " AND seq <= (SELECT seq FROM upstream_corpus WHERE tenant = ? AND connection = ? ORDER BY seq DESC LIMIT 1 OFFSET ?)"
                + " AND seq <> (SELECT o.seq FROM upstream_corpus o WHERE o.tenant = upstream_corpus.tenant"
                + " AND o.connection = upstream_corpus.connection AND o.outcome = upstream_corpus.outcome ORDER BY o.seq LIMIT 1)"
                + " AND seq <> (SELECT o.seq FROM upstream_corpus o WHERE o.tenant = upstream_corpus.tenant"
                + " AND o.connection = upstream_corpus.connection AND o.outcome = upstream_corpus.outcome ORDER BY o.seq DESC LIMIT 1)",
                e.tenant(), e.connection(), e.tenant(), e.connection(), limit);
    }

    @Override
    public List<CorpusEntry> list(Tx tx, String tenant, Optional<String> connection) {
        String c = connection.orElse(null);
        return Sql.list(tx, "SELECT id, tenant, connection, recorded_at, outcome, entry FROM upstream_corpus"
                + " WHERE tenant = ? AND (? IS NULL OR connection = ?) ORDER BY connection, seq", JdbcCorpus::entry,
                tenant, c, c);
    }

    @Override
    public List<CorpusEntry> latest(Tx tx, String tenant, String connection, int limit) {
        return Sql.list(tx, "SELECT id, tenant, connection, recorded_at, outcome, entry FROM upstream_corpus"
                + " WHERE tenant = ? AND connection = ? ORDER BY seq DESC LIMIT ?", JdbcCorpus::entry, tenant, connection, limit);
    }

    private static CorpusEntry entry(ResultSet rs) throws SQLException {
        return new CorpusEntry(rs.getString("id"), rs.getString("tenant"), rs.getString("connection"), Sql.instant(rs, "recorded_at"),
                rs.getString("outcome"), rs.getString("entry"));
    }
}
