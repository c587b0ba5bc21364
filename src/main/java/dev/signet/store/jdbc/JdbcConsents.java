package dev.signet.store.jdbc;

import dev.signet.store.Consent;
import dev.signet.store.ConsentStore;
import dev.signet.store.Tx;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@link ConsentStore} over JDBC (V8). Scopes are stored space-separated, as on the wire. */
public final class JdbcConsents implements ConsentStore {

    @Override
    public Optional<Consent> find(Tx tx, String tenant, String userId, String clientId) {
        return Sql.one(tx, "SELECT tenant, user_id, client_id, scopes, granted_at FROM consents WHERE tenant = ? AND user_id = ? AND client_id = ?", rs -> {
            String scopes = rs.getString("scopes");
            return new Consent(rs.getString("tenant"), rs.getString("user_id"), rs.getString("client_id"),
                    scopes.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(scopes.split(" "))), Sql.instant(rs, "granted_at"));
        }, tenant, userId, clientId);
    }

    @Override
    public void save(Tx tx, Consent c) {
        Sql.update(tx, "INSERT INTO consents (tenant, user_id, client_id, scopes, granted_at) VALUES (?, ?, ?, ?, ?)"
                + " ON CONFLICT (tenant, user_id, client_id) DO UPDATE SET scopes = excluded.scopes, granted_at = excluded.granted_at",
                c.tenant(), c.userId(), c.clientId(), String.join(" ", new TreeSet<>(c.scopes())), c.grantedAt());
    }

    @Override
    public int revokeAll(Tx tx, String tenant, String userId) {
        return Sql.update(tx, "DELETE FROM consents WHERE tenant = ? AND user_id = ?", tenant, userId);
    }
}
