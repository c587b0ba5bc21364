package dev.signet.store.jdbc;

import dev.signet.store.Tx;
import dev.signet.store.UpstreamLogin;
import dev.signet.store.UpstreamLoginStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** {@link UpstreamLoginStore} over JDBC. */
public final class JdbcUpstreamLogins implements UpstreamLoginStore {

    @Override
    public void create(Tx tx, UpstreamLogin l) {
        Sql.update(tx, "INSERT INTO upstream_logins (state_hash, tenant, domain, connection, pending_id, nonce, code_verifier,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", l.stateHash(), l.tenant(), l.domain(), l.connection(), l.pendingId(), l.nonce(),
                l.codeVerifier(), l.expiresAt());
    }

    @Override
    public Optional<UpstreamLogin> byStateHash(Tx tx, String tenant, String stateHash) {
        return Sql.one(tx, "SELECT state_hash, tenant, domain, connection, pending_id, nonce, code_verifier, expires_at FROM upstream_logins WHERE tenant = ? AND state_hash = ?", JdbcUpstreamLogins::login, tenant,
                stateHash);
    }

    @Override
    public boolean consume(Tx tx, String tenant, String stateHash) {
        return Sql.update(tx, "DELETE FROM upstream_logins WHERE tenant = ? AND state_hash = ?", tenant, stateHash) == 1;
    }

    private static UpstreamLogin login(ResultSet rs) throws SQLException {
        return new UpstreamLogin(rs.getString("state_hash"), rs.getString("tenant"), rs.getString("domain"), rs.getString("connection"),
                rs.getString("pending_id"), rs.getString("nonce"), rs.getString("code_verifier"), Sql.instant(rs, "expires_at"));
    }
}
