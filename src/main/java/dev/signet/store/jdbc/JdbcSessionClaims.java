package dev.signet.store.jdbc;

import dev.signet.store.SessionClaimsStore;
import dev.signet.store.Tx;
import java.util.Optional;

/** {@link SessionClaimsStore} over JDBC. */
public final class JdbcSessionClaims implements SessionClaimsStore {

    @Override
    public void put(Tx tx, String sessionId, String claimsJson) {
        Sql.update(tx, "INSERT INTO session_claims (session_id, claims) VALUES (?, ?)", sessionId, claimsJson);
    }

    @Override
    public Optional<String> get(Tx tx, String sessionId) {
        return Sql.one(tx, "SELECT claims FROM session_claims WHERE session_id = ?", rs -> rs.getString(1), sessionId);
    }
}
