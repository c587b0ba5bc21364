package dev.signet.store.jdbc;

import dev.signet.store.KeyStore;
import dev.signet.store.StoredKey;
import dev.signet.store.Tx;
import java.util.List;

/** {@link KeyStore} over JDBC. */
public final class JdbcKeys implements KeyStore {

    @Override
    public List<StoredKey> all(Tx tx, String tenant) {
        return Sql.list(tx, "SELECT tenant, kid, alg, material, encrypted, created_at FROM signing_keys WHERE tenant = ? ORDER BY created_at, kid", rs -> new StoredKey(
                rs.getString("tenant"), rs.getString("kid"), rs.getString("alg"), rs.getString("material"), Sql.flag(rs, "encrypted"),
                Sql.instant(rs, "created_at")), tenant);
    }

    @Override
    public void add(Tx tx, StoredKey k) {
        Sql.update(tx, "INSERT INTO signing_keys (tenant, kid, alg, material, encrypted, created_at) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (kid) DO NOTHING", k.tenant(), k.kid(), k.alg(), k.material(), k.encrypted(), k.createdAt());
    }
}
