package dev.signet.store.jdbc;

import dev.signet.store.PublishedStore;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link PublishedStore} over JDBC. A baseline is {@code INSERT … ON CONFLICT DO NOTHING}; a change
 * is {@code UPDATE … WHERE value = old}: on PostgreSQL under READ COMMITTED a second node's update
 * waits for the first one's row lock and then re-checks its condition against the committed row,
 * so it matches nothing; SQLite has one writer.
 */
public final class JdbcPublished implements PublishedStore {

    private static final String COLUMNS = "connection, field, value, seen_at, previous, changed_at, hint";

    @Override
    public Map<String, Field> fields(Tx tx, String tenant, String connection) {
        Map<String, Field> out = new LinkedHashMap<>();
        Sql.list(tx, "SELECT " + COLUMNS + " FROM upstream_published WHERE tenant = ? AND connection = ? ORDER BY field",
                JdbcPublished::field, tenant, connection).forEach(f -> out.put(f.field(), f));
        return out;
    }

    @Override
    public boolean insert(Tx tx, String tenant, String connection, String field, String value, Optional<String> previous,
            Optional<String> hint, Instant at) {
        return Sql.update(tx, "INSERT INTO upstream_published (tenant, connection, field, value, seen_at, previous, changed_at, hint)"
                + " VALUES (?, ?, ?, ?, ?, ?, CAST(? AS BIGINT), ?) ON CONFLICT (tenant, connection, field) DO NOTHING",
                tenant, connection, field, value, at, previous, previous.isPresent() ? at.toEpochMilli() : null, hint) == 1;
    }

    @Override
    public boolean change(Tx tx, String tenant, String connection, String field, String old, String now, String hint, Instant at) {
        return Sql.update(tx, "UPDATE upstream_published SET value = ?, previous = ?, seen_at = ?, changed_at = ?, hint = ?"
                + " WHERE tenant = ? AND connection = ? AND field = ? AND value = ?",
                now, old, at, at, hint, tenant, connection, field, old) == 1;
    }

    @Override
    public List<Field> changes(Tx tx, String tenant) {
        return Sql.list(tx, "SELECT " + COLUMNS + " FROM upstream_published WHERE tenant = ? AND changed_at IS NOT NULL"
                + " ORDER BY changed_at DESC, connection, field", JdbcPublished::field, tenant);
    }

    private static Field field(ResultSet rs) throws SQLException {
        long changed = rs.getLong("changed_at");
        Optional<Instant> changedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(changed));
        return new Field(rs.getString("connection"), rs.getString("field"), rs.getString("value"), Sql.instant(rs, "seen_at"),
                Sql.optional(rs, "previous"), changedAt, Sql.optional(rs, "hint"));
    }
}
