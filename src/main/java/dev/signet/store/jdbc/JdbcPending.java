package dev.signet.store.jdbc;

import dev.signet.store.PendingAuthorization;
import dev.signet.store.PendingStore;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** {@link PendingStore} over JDBC; the request parameters are kept as a JSON object. */
public final class JdbcPending implements PendingStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() {};

    @Override
    public void create(Tx tx, PendingAuthorization p) {
        Sql.update(tx, "INSERT INTO pending_authorizations (id, tenant, client_id, params, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                p.id(), p.tenant(), p.clientId(), JSON.writeValueAsString(p.params()), p.createdAt(), p.expiresAt());
    }

    @Override
    public Optional<PendingAuthorization> byId(Tx tx, String tenant, String id) {
        return Sql.one(tx, "SELECT id, tenant, client_id, params, created_at, expires_at FROM pending_authorizations WHERE tenant = ? AND id = ?", JdbcPending::pending, tenant, id);
    }

    @Override
    public boolean delete(Tx tx, String tenant, String id) {
        return Sql.update(tx, "DELETE FROM pending_authorizations WHERE tenant = ? AND id = ?", tenant, id) == 1;
    }

    private static PendingAuthorization pending(ResultSet rs) throws SQLException {
        return new PendingAuthorization(rs.getString("id"), rs.getString("tenant"), rs.getString("client_id"),
                JSON.readValue(rs.getString("params"), PARAMS), Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"));
    }
}
