package dev.signet.store.jdbc;

import dev.signet.store.DeviceCode;
import dev.signet.store.DeviceCodeStore;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@link DeviceCodeStore} over JDBC. Status changes are compare-and-set on the current status. */
public final class JdbcDeviceCodes implements DeviceCodeStore {

    /** Named, never {@code *} (README "Upgrades": a column a newer version adds must not change what this one reads). */
    private static final String COLUMNS = "id, tenant, client_id, device_code_hash, user_code, scopes, interval_seconds,"
            + " last_polled_at, status, user_id, session_id, auth_time, created_at, expires_at";

    @Override
    public boolean create(Tx tx, DeviceCode d) {
        return Sql.update(tx, "INSERT INTO device_codes (id, tenant, client_id, device_code_hash, user_code, scopes, interval_seconds,"
                + " last_polled_at, status, user_id, session_id, auth_time, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS BIGINT), ?, ?, ?, CAST(? AS BIGINT), ?, ?) ON CONFLICT DO NOTHING",
                // An absent instant binds as a NULL of unknown type: the casts type it for PostgreSQL.
                d.id(), d.tenant(), d.clientId(), d.deviceCodeHash(), d.userCode(), String.join(" ", new TreeSet<>(d.scopes())),
                d.intervalSeconds(), d.lastPolledAt(), d.status().name(), d.userId(), d.sessionId(), d.authTime(), d.createdAt(),
                d.expiresAt()) == 1;
    }

    @Override
    public Optional<DeviceCode> byDeviceCodeHash(Tx tx, String tenant, String hash) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM device_codes WHERE tenant = ? AND device_code_hash = ?", JdbcDeviceCodes::row, tenant, hash);
    }

    @Override
    public Optional<DeviceCode> byUserCode(Tx tx, String tenant, String userCode) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM device_codes WHERE tenant = ? AND user_code = ?", JdbcDeviceCodes::row, tenant, userCode);
    }

    @Override
    public Optional<DeviceCode> byId(Tx tx, String tenant, String id) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM device_codes WHERE tenant = ? AND id = ?", JdbcDeviceCodes::row, tenant, id);
    }

    @Override
    public void polled(Tx tx, String tenant, String id, Instant at, long intervalSeconds) {
        Sql.update(tx, "UPDATE device_codes SET last_polled_at = ?, interval_seconds = ? WHERE tenant = ? AND id = ?", at,
                intervalSeconds, tenant, id);
    }

    @Override
    public boolean approve(Tx tx, String tenant, String id, String userId, String sessionId, Instant authTime) {
        return Sql.update(tx, "UPDATE device_codes SET status = 'APPROVED', user_id = ?, session_id = ?, auth_time = ?"
                + " WHERE tenant = ? AND id = ? AND status = 'PENDING'", userId, sessionId, authTime, tenant, id) == 1;
    }

    @Override
    public boolean deny(Tx tx, String tenant, String id) {
        return Sql.update(tx, "UPDATE device_codes SET status = 'DENIED' WHERE tenant = ? AND id = ? AND status = 'PENDING'",
                tenant, id) == 1;
    }

    @Override
    public boolean redeem(Tx tx, String tenant, String id) {
        return Sql.update(tx, "UPDATE device_codes SET status = 'REDEEMED' WHERE tenant = ? AND id = ? AND status = 'APPROVED'",
                tenant, id) == 1;
    }

    private static DeviceCode row(ResultSet rs) throws SQLException {
        String scopes = rs.getString("scopes");
        Set<String> set = scopes.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(scopes.split(" ")));
        long polled = rs.getLong("last_polled_at");
        Optional<Instant> lastPolled = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(polled));
        long auth = rs.getLong("auth_time");
        Optional<Instant> authTime = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(auth));
        return new DeviceCode(rs.getString("id"), rs.getString("tenant"), rs.getString("client_id"), rs.getString("device_code_hash"),
                rs.getString("user_code"), set, rs.getLong("interval_seconds"), lastPolled, DeviceCode.Status.valueOf(rs.getString("status")),
                Sql.optional(rs, "user_id"), Sql.optional(rs, "session_id"), authTime, Sql.instant(rs, "created_at"),
                Sql.instant(rs, "expires_at"));
    }
}
