package dev.signet.store.jdbc;

import dev.signet.store.Delivery;
import dev.signet.store.OutboxStore;
import dev.signet.store.StoredEvent;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import dev.signet.store.SinkBacklog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** {@link OutboxStore} over JDBC (portable SQL; see V2__outbox.sql). */
public final class JdbcOutbox implements OutboxStore {

    @Override
    public void append(Tx tx, StoredEvent e) {
        Sql.update(tx, "INSERT INTO outbox (id, tenant, type, occurred_at, user_id, connection, data, fanned_out)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 0)", e.id(), e.tenant(), e.type(), e.occurredAt(), e.userId(), e.connection(), e.data());
    }

    @Override
    public int fanOut(Tx tx, Function<String, List<String>> sinksFor, Instant now, int limit) {
        // PostgreSQL: rows another node is fanning out right now are skipped, not waited for (issue 13)
        List<String[]> ids = Sql.list(tx, "SELECT id, type FROM outbox WHERE fanned_out = 0 ORDER BY occurred_at LIMIT ?" + skipLocked(tx, ""),
                rs -> new String[] {rs.getString(1), rs.getString(2)}, limit);
        for (String[] row : ids) {
            String id = row[0];
            for (String sink : sinksFor.apply(row[1])) {
                Sql.update(tx, "INSERT INTO outbox_delivery (event_id, sink, state, attempts, next_attempt_at)"
                        + " VALUES (?, ?, 'pending', 0, ?) ON CONFLICT DO NOTHING", id, sink, now);
            }
            Sql.update(tx, "UPDATE outbox SET fanned_out = 1 WHERE id = ?", id);
        }
        return ids.size();
    }

    @Override
    public List<Delivery> claimDue(Tx tx, String node, Instant now, Instant leaseUntil, int limit) {
        List<Delivery> due = Sql.list(tx, "SELECT d.sink, d.attempts, e.id, e.tenant, e.type, e.occurred_at, e.user_id, e.connection, e.data FROM outbox_delivery d JOIN outbox e ON e.id = d.event_id"
                + " WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND (d.claimed_until IS NULL OR d.claimed_until < ?)"
                + " ORDER BY d.next_attempt_at LIMIT ?" + skipLocked(tx, " OF d"),
                rs -> new Delivery(event(rs), rs.getString("sink"), rs.getInt("attempts"), node, Instant.ofEpochMilli(leaseUntil.toEpochMilli())),
                now, now, limit);
        List<Delivery> claimed = new ArrayList<>();
        for (Delivery d : due) {
            // compare-and-set: another node that claimed it first wins
            int n = Sql.update(tx, "UPDATE outbox_delivery SET claimed_by = ?, claimed_until = ? WHERE event_id = ? AND sink = ?"
                    + " AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < ?)", node, leaseUntil, d.event().id(), d.sink(), now);
            if (n == 1) {
                claimed.add(d);
            }
        }
        return claimed;
    }

    /**
     * On PostgreSQL, {@code FOR UPDATE SKIP LOCKED}: several nodes' relays claim disjoint batches
     * without waiting for each other; the compare-and-set update after it keeps a claim exclusive
     * on any store (on the embedded one, its single writer serialises the claims).
     */
    private static String skipLocked(Tx tx, String of) {
        return Sql.postgres(tx) ? " FOR UPDATE" + of + " SKIP LOCKED" : "";
    }

    // The outcome is recorded only by the claim that holds the delivery (same node, same lease): a relay
    // whose lease ran out mid-delivery (a sink slower than the lease, a pause) must not overwrite the
    // claim another node took since, nor mark delivered what that node is still delivering.
    private static final String HELD = " WHERE event_id = ? AND sink = ? AND state = 'pending' AND claimed_by = ? AND claimed_until = ?";

    @Override
    public boolean delivered(Tx tx, Delivery d, Instant at) {
        return Sql.update(tx, "UPDATE outbox_delivery SET state = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL,"
                + " claimed_by = NULL, claimed_until = NULL" + HELD, at, d.event().id(), d.sink(), d.claimedBy(), d.claimedUntil()) == 1;
    }

    @Override
    public boolean failed(Tx tx, Delivery d, int attempts, Instant nextAttemptAt, String error, boolean dead) {
        return Sql.update(tx, "UPDATE outbox_delivery SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?,"
                + " claimed_by = NULL, claimed_until = NULL" + HELD,
                dead ? "dead" : "pending", attempts, nextAttemptAt, error, d.event().id(), d.sink(), d.claimedBy(), d.claimedUntil()) == 1;
    }

    @Override
    public int redeliver(Tx tx, Optional<String> eventId, Optional<String> sink, Instant now) {
        return Sql.update(tx, "UPDATE outbox_delivery SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL,"
                + " claimed_by = NULL, claimed_until = NULL WHERE state = 'dead' AND (? IS NULL OR event_id = ?) AND (? IS NULL OR sink = ?)",
                now, eventId, eventId, sink, sink);
    }

    @Override
    public long backlog(Tx tx) {
        return count(tx, "SELECT COUNT(*) FROM outbox_delivery WHERE state = 'pending'")
                + count(tx, "SELECT COUNT(*) FROM outbox WHERE fanned_out = 0");
    }

    @Override
    public long deadLetters(Tx tx) {
        return count(tx, "SELECT COUNT(*) FROM outbox_delivery WHERE state = 'dead'");
    }

    @Override
    public Map<String, SinkBacklog> bySink(Tx tx, List<String> sinks) {
        Map<String, Long> oldest = new HashMap<>();
        Sql.list(tx, "SELECT d.sink, MIN(e.occurred_at) FROM outbox_delivery d JOIN outbox e ON e.id = d.event_id"
                + " WHERE d.state = 'pending' GROUP BY d.sink", rs -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> oldest.put(e.getKey(), e.getValue()));
        Map<String, Long> dead = new HashMap<>();
        Sql.list(tx, "SELECT sink, COUNT(*) FROM outbox_delivery WHERE state = 'dead' GROUP BY sink",
                rs -> Map.entry(rs.getString(1), rs.getLong(2))).forEach(e -> dead.put(e.getKey(), e.getValue()));
        // an event not yet fanned out waits for every sink
        Optional<Long> unfanned = Sql.one(tx, "SELECT occurred_at FROM outbox WHERE fanned_out = 0 ORDER BY occurred_at LIMIT 1",
                rs -> rs.getLong(1));
        Map<String, SinkBacklog> out = new LinkedHashMap<>();
        for (String sink : sinks) {
            Optional<Long> o = Optional.ofNullable(oldest.get(sink));
            if (unfanned.isPresent() && (o.isEmpty() || unfanned.get() < o.get())) {
                o = unfanned;
            }
            out.put(sink, new SinkBacklog(o.map(Instant::ofEpochMilli), dead.getOrDefault(sink, 0L)));
        }
        return out;
    }

    private static long count(Tx tx, String sql) {
        return Sql.one(tx, sql, rs -> rs.getLong(1)).orElse(0L);
    }

    static StoredEvent event(ResultSet rs) throws SQLException {
        return new StoredEvent(rs.getString("id"), rs.getString("tenant"), rs.getString("type"), Sql.instant(rs, "occurred_at"),
                Optional.ofNullable(rs.getString("user_id")), Optional.ofNullable(rs.getString("connection")), rs.getString("data"));
    }
}
