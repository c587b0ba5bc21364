package dev.signet.store.jdbc;

import dev.signet.store.Session;
import dev.signet.store.SessionStore;
import dev.signet.store.Change;
import dev.signet.store.Changes;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** {@link SessionStore} over JDBC. */
public final class JdbcSessions implements SessionStore {

    private final Changes changes;

    /** One node on the embedded store: nobody to tell about revocations. */
    public JdbcSessions() {
        this(Changes.LOCAL);
    }

    public JdbcSessions(Changes changes) {
        this.changes = java.util.Objects.requireNonNull(changes, "changes");
    }


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
    public boolean revoke(Tx tx, String tenant, String id) {
        boolean found = Sql.update(tx, "UPDATE sessions SET revoked = 1 WHERE tenant = ? AND id = ?", tenant, id) == 1;
        if (found) {
            changes.publish(tx, new Change(Change.Kind.SESSION_REVOKED, tenant, id));
        }
        return found;
    }

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString("id"), rs.getString("tenant"), rs.getString("token_hash"), rs.getString("user_id"),
                rs.getString("connection"), Sql.instant(rs, "auth_time"), Sql.instant(rs, "expires_at"), Sql.flag(rs, "revoked"));
    }
}
