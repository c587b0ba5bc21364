package dev.signet.store.jdbc;

import dev.signet.store.KeyStore;
import dev.signet.store.StoredKey;
import dev.signet.store.Tx;
import java.util.List;

/** {@link KeyStore} over JDBC. */
public final class JdbcKeys implements KeyStore {

    @Override
    public List<StoredKey> all(Tx tx, String tenant) {
        return Sql.list(tx, "SELECT tenant, kid, alg, material, encrypted, created_at, signs_from FROM signing_keys WHERE tenant = ?"
                + " ORDER BY created_at, kid", rs -> {
            long signsFrom = rs.getLong("signs_from");
            boolean legacy = rs.wasNull(); // written by a node of schema version 5: signs from its creation
            return new StoredKey(rs.getString("tenant"), rs.getString("kid"), rs.getString("alg"), rs.getString("material"),
                    Sql.flag(rs, "encrypted"), Sql.instant(rs, "created_at"),
                    legacy ? Sql.instant(rs, "created_at") : java.time.Instant.ofEpochMilli(signsFrom));
        }, tenant);
    }

    @Override
    public void add(Tx tx, StoredKey k) {
        Sql.update(tx, "INSERT INTO signing_keys (tenant, kid, alg, material, encrypted, created_at, signs_from) VALUES (?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (kid) DO NOTHING", k.tenant(), k.kid(), k.alg(), k.material(), k.encrypted(), k.createdAt(), k.signsFrom());
    }

    @Override
    public void lockKeys(Tx tx, String tenant) {
        if (Sql.postgres(tx)) {
            // transaction-scoped: released at commit or rollback, never left behind by a dead node
            Sql.list(tx, "SELECT pg_advisory_xact_lock(hashtext(?))", rs -> Boolean.TRUE, "signet.keys." + tenant);
        }
    }
}
