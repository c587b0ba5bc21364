package dev.signet.store.jdbc;

import dev.signet.store.TokenRevocations;
import dev.signet.store.Tx;
import java.time.Instant;

/** {@link TokenRevocations} over JDBC ({@code ON CONFLICT DO NOTHING}: SQLite 3.24+ and PostgreSQL 9.5+). */
public final class JdbcTokenRevocations implements TokenRevocations {

    @Override
    public void revoke(Tx tx, String tenant, String jti, Instant expiresAt) {
        Sql.update(tx, "INSERT INTO revoked_tokens (tenant, jti, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", tenant, jti,
                expiresAt);
    }

    @Override
    public boolean isRevoked(Tx tx, String tenant, String jti) {
        return Sql.one(tx, "SELECT 1 FROM revoked_tokens WHERE tenant = ? AND jti = ?", rs -> Boolean.TRUE, tenant, jti).isPresent();
    }
}
