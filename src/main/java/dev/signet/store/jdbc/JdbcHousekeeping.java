package dev.signet.store.jdbc;

import dev.signet.store.Housekeeping;
import dev.signet.store.Tx;
import java.time.Duration;
import java.time.Instant;

/** {@link Housekeeping} over JDBC. Rows stay a day past expiry so that reuse is still detected meanwhile. */
public final class JdbcHousekeeping implements Housekeeping {

    static final Duration GRACE = Duration.ofDays(1);
    static final Duration OUTBOX_KEEP = Duration.ofDays(7);

    @Override
    public int deleteExpired(Tx tx, Instant now) {
        Instant old = now.minus(GRACE);
        return Sql.update(tx, "DELETE FROM upstream_logins WHERE expires_at < ?", now)
                + Sql.update(tx, "DELETE FROM pending_authorizations WHERE expires_at < ?", now)
                + Sql.update(tx, "DELETE FROM session_claims WHERE session_id IN (SELECT id FROM sessions WHERE expires_at < ?)", old)
                + Sql.update(tx, "DELETE FROM session_domains WHERE session_id IN (SELECT id FROM sessions WHERE expires_at < ?)", old)
                + Sql.update(tx, "DELETE FROM sessions WHERE expires_at < ?", old)
                + Sql.update(tx, "DELETE FROM refresh_tokens WHERE expires_at < ?", old)
                // issue 14: a revoked jti or a used assertion jti matters only until the token itself expired (a day of grace covers clock skew)
                + Sql.update(tx, "DELETE FROM revoked_tokens WHERE expires_at < ?", old)
                + Sql.update(tx, "DELETE FROM client_assertions WHERE expires_at < ?", old)
                + Sql.update(tx, "DELETE FROM device_codes WHERE expires_at < ?", old)
                + Sql.update(tx, "DELETE FROM grants WHERE code_expires_at < ? AND NOT EXISTS"
                        + " (SELECT 1 FROM refresh_tokens r WHERE r.grant_id = grants.id)", old)
                // outbox: delivered rows after a week (the audit log keeps the history); dead letters stay
                + Sql.update(tx, "DELETE FROM outbox_delivery WHERE state = 'delivered' AND delivered_at < ?", now.minus(OUTBOX_KEEP))
                + Sql.update(tx, "DELETE FROM outbox WHERE fanned_out = 1 AND occurred_at < ? AND NOT EXISTS"
                        + " (SELECT 1 FROM outbox_delivery d WHERE d.event_id = outbox.id)", now.minus(OUTBOX_KEEP));
    }
}
