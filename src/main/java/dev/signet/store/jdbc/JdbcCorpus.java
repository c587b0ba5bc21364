package dev.signet.store.jdbc;

import dev.signet.store.CorpusEntry;
import dev.signet.store.CorpusStore;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link CorpusStore} over JDBC: one insert and one indexed trim per recorded exchange. */
public final class JdbcCorpus implements CorpusStore {

    @Override
    public void add(Tx tx, CorpusEntry e, int limit) {
        Sql.update(tx, "INSERT INTO upstream_corpus (id, tenant, connection, recorded_at, outcome, entry) VALUES (?, ?, ?, ?, ?, ?)",
                e.id(), e.tenant(), e.connection(), e.recordedAt(), e.outcome(), e.entry());
        Sql.update(tx, "DELETE FROM upstream_corpus WHERE tenant = ? AND connection = ?"
                + " AND id NOT IN (SELECT id FROM upstream_corpus WHERE tenant = ? AND connection = ?"
                + " ORDER BY recorded_at DESC, id DESC LIMIT ?)"
                + " AND recorded_at <> (SELECT MIN(o.recorded_at) FROM upstream_corpus o WHERE o.tenant = upstream_corpus.tenant"
                + " AND o.connection = upstream_corpus.connection AND o.outcome = upstream_corpus.outcome)"
                + " AND recorded_at <> (SELECT MAX(o.recorded_at) FROM upstream_corpus o WHERE o.tenant = upstream_corpus.tenant"
                + " AND o.connection = upstream_corpus.connection AND o.outcome = upstream_corpus.outcome)",
                e.tenant(), e.connection(), e.tenant(), e.connection(), limit);
    }

    @Override
    public List<CorpusEntry> list(Tx tx, String tenant, Optional<String> connection) {
        String c = connection.orElse(null);
        return Sql.list(tx, "SELECT id, tenant, connection, recorded_at, outcome, entry FROM upstream_corpus"
                + " WHERE tenant = ? AND (? IS NULL OR connection = ?) ORDER BY connection, recorded_at, id", JdbcCorpus::entry,
                tenant, c, c);
    }

    private static CorpusEntry entry(ResultSet rs) throws SQLException {
        return new CorpusEntry(rs.getString("id"), rs.getString("tenant"), rs.getString("connection"), Sql.instant(rs, "recorded_at"),
                rs.getString("outcome"), rs.getString("entry"));
    }
}
