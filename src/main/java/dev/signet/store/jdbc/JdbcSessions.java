package dev.signet.store.jdbc;

import dev.signet.store.Session;
import dev.signet.store.SessionStore;
import dev.signet.store.Change;
import dev.signet.store.Changes;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link SessionStore} over JDBC. */
public final class JdbcSessions implements SessionStore {

    /** Named, never {@code *} (README "Upgrades": a column a newer version adds must not change what this one reads). */
    private static final String COLUMNS = "id, token_hash, tenant, user_id, connection, auth_time, expires_at, revoked";

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
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM sessions WHERE tenant = ? AND token_hash = ?", JdbcSessions::session, tenant, tokenHash);
    }

    @Override
    public boolean revoke(Tx tx, String tenant, String id) {
        boolean found = Sql.update(tx, "UPDATE sessions SET revoked = 1 WHERE tenant = ? AND id = ?", tenant, id) == 1;
        if (found) {
            changes.publish(tx, new Change(Change.Kind.SESSION_REVOKED, tenant, id));
        }
        return found;
    }

    @Override
    public Optional<Session> byId(Tx tx, String tenant, String id) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM sessions WHERE tenant = ? AND id = ?", JdbcSessions::session, tenant, id);
    }

    @Override
    public List<Session> active(Tx tx, String tenant, Optional<String> userId, Instant now, int limit) {
        String order = " AND revoked = 0 AND expires_at > ? ORDER BY auth_time DESC, id LIMIT ?";
        return userId.isPresent()
                ? Sql.list(tx, "SELECT " + COLUMNS + " FROM sessions WHERE tenant = ? AND user_id = ?" + order, JdbcSessions::session, tenant, userId.get(),
                        now, limit)
                : Sql.list(tx, "SELECT " + COLUMNS + " FROM sessions WHERE tenant = ?" + order, JdbcSessions::session, tenant, now, limit);
    }

    @Override
    public void signedInOn(Tx tx, String tenant, String sessionId, String issuer) {
        Sql.update(tx, "INSERT INTO session_domains (session_id, tenant, issuer) VALUES (?, ?, ?)", sessionId, tenant, issuer);
    }

    @Override
    public Optional<String> customIssuer(Tx tx, String tenant, String sessionId) {
        return Sql.one(tx, "SELECT issuer FROM session_domains WHERE tenant = ? AND session_id = ?", rs -> rs.getString(1), tenant, sessionId);
    }

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString("id"), rs.getString("tenant"), rs.getString("token_hash"), rs.getString("user_id"),
                rs.getString("connection"), Sql.instant(rs, "auth_time"), Sql.instant(rs, "expires_at"), Sql.flag(rs, "revoked"));
    }
}
