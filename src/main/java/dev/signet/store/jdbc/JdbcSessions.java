package dev.signet.store.jdbc;

import dev.signet.store.Session;
import dev.signet.store.SessionStore;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** {@link SessionStore} over JDBC. */
public final class JdbcSessions implements SessionStore {

    @Override
    public void create(Tx tx, Session s) {
        Sql.update(tx, "INSERT INTO sessions (id, token_hash, tenant, user_id, connection, auth_time, expires_at, revoked)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s.id(), s.tokenHash(), s.tenant(), s.userId(), s.connection(), s.authTime(),
                s.expiresAt(), s.revoked());
    }

    @Override
    public Optional<Session> byTokenHash(Tx tx, String tenant, String tokenHash) {
        return Sql.one(tx, "SELECT id, token_hash, tenant, user_id, connection, auth_time, expires_at, revoked FROM sessions WHERE tenant = ? AND token_hash = ?", JdbcSessions::session, tenant, tokenHash);
    }

    @Override
    public void revoke(Tx tx, String tenant, String id) {
        Sql.update(tx, "UPDATE sessions SET revoked = 1 WHERE tenant = ? AND id = ?", tenant, id);
    }

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString("id"), rs.getString("tenant"), rs.getString("token_hash"), rs.getString("user_id"),
                rs.getString("connection"), Sql.instant(rs, "auth_time"), Sql.instant(rs, "expires_at"), Sql.flag(rs, "revoked"));
    }
}
