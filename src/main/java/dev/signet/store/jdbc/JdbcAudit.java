package dev.signet.store.jdbc;

import dev.signet.store.AuditStore;
import dev.signet.store.StoredEvent;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link AuditStore} over JDBC: one prepared query; absent filters are bound as NULL. */
public final class JdbcAudit implements AuditStore {

    @Override
    public void record(Tx tx, StoredEvent e) {
        Sql.update(tx, "INSERT INTO audit_log (event_id, tenant, type, occurred_at, user_id, connection, data)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", e.id(), e.tenant(), e.type(), e.occurredAt(), e.userId(),
                e.connection(), e.data());
    }

    @Override
    public List<StoredEvent> find(Tx tx, Query q) {
        return Sql.list(tx, "SELECT event_id, tenant, type, occurred_at, user_id, connection, data FROM audit_log"
                + " WHERE (? IS NULL OR tenant = ?) AND (? IS NULL OR user_id = ?) AND (? IS NULL OR connection = ?)"
                // typed, so PostgreSQL knows a NULL bound here is a BIGINT (an untyped NULL would be compared as text)
                + " AND (CAST(? AS BIGINT) IS NULL OR occurred_at >= CAST(? AS BIGINT)) AND (CAST(? AS BIGINT) IS NULL OR occurred_at < CAST(? AS BIGINT))"
                + " ORDER BY occurred_at DESC, event_id LIMIT ?", JdbcAudit::entry,
                q.tenant(), q.tenant(), q.userId(), q.userId(), q.connection(), q.connection(), q.since(), q.since(), q.until(), q.until(),
                q.limit());
    }

    private static StoredEvent entry(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getString("event_id"), rs.getString("tenant"), rs.getString("type"), Sql.instant(rs, "occurred_at"),
                Optional.ofNullable(rs.getString("user_id")), Optional.ofNullable(rs.getString("connection")), rs.getString("data"));
    }
}
