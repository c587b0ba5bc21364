package dev.signet.store.jdbc;

import dev.signet.store.ClientAssertionStore;
import dev.signet.store.Tx;
import java.time.Instant;

/** {@link ClientAssertionStore} over JDBC: the primary key makes the first insert win. */
public final class JdbcClientAssertions implements ClientAssertionStore {

    @Override
    public boolean use(Tx tx, String tenant, String clientId, String jti, Instant expiresAt) {
        return Sql.update(tx, "INSERT INTO client_assertions (tenant, client_id, jti, expires_at) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING", tenant, clientId, jti, expiresAt) == 1;
    }
}
