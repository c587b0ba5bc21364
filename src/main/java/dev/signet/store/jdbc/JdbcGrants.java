package dev.signet.store.jdbc;

import dev.signet.store.Grant;
import dev.signet.store.GrantStore;
import dev.signet.store.RefreshToken;
import dev.signet.store.Change;
import dev.signet.store.Changes;
import dev.signet.store.Tx;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** {@link GrantStore} over JDBC. Scopes are stored space-separated, as on the wire. */
public final class JdbcGrants implements GrantStore {

    // named columns, never *: a column added by a newer version's migration must not change what this version reads
    private static final String COLUMNS = "id, tenant, client_id, user_id, session_id, code_hash, redirect_uri, code_challenge, nonce, scopes, auth_time, code_expires_at, code_used, revoked, created_at";

    private static final String GRANT_COLUMNS = Arrays.stream(COLUMNS.split(", ")).map(c -> "g." + c).collect(Collectors.joining(", "));

    private final Changes changes;

    /** One node on the embedded store: nobody to tell about revocations. */
    public JdbcGrants() {
        this(Changes.LOCAL);
    }

    public JdbcGrants(Changes changes) {
        this.changes = java.util.Objects.requireNonNull(changes, "changes");
    }

    @Override
    public void create(Tx tx, Grant g) {
        Sql.update(tx, "INSERT INTO grants (id, tenant, client_id, user_id, session_id, code_hash, redirect_uri, code_challenge, nonce,"
                + " scopes, auth_time, code_expires_at, code_used, revoked, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                g.id(), g.tenant(), g.clientId(), g.userId(), g.sessionId(), g.codeHash(), g.redirectUri(), g.codeChallenge(),
                g.nonce(), String.join(" ", new TreeSet<>(g.scopes())), g.authTime(), g.codeExpiresAt(), g.codeUsed(), g.revoked(),
                g.createdAt());
    }

    @Override
    public Optional<Grant> byCodeHash(Tx tx, String tenant, String codeHash) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM grants WHERE tenant = ? AND code_hash = ?", JdbcGrants::grant, tenant, codeHash);
    }

    @Override
    public Optional<Grant> byId(Tx tx, String tenant, String id) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM grants WHERE tenant = ? AND id = ?", JdbcGrants::grant, tenant, id);
    }

    @Override
    public boolean useCode(Tx tx, String tenant, String grantId) {
        return Sql.update(tx, "UPDATE grants SET code_used = 1 WHERE tenant = ? AND id = ? AND code_used = 0", tenant, grantId) == 1;
    }

    @Override
    public void revoke(Tx tx, String tenant, String grantId) {
        if (Sql.update(tx, "UPDATE grants SET revoked = 1 WHERE tenant = ? AND id = ?", tenant, grantId) == 1) {
            changes.publish(tx, new Change(Change.Kind.GRANT_REVOKED, tenant, grantId));
        }
    }

    @Override
    public void addRefreshToken(Tx tx, RefreshToken t) {
        Sql.update(tx, "INSERT INTO refresh_tokens (token_hash, grant_id, expires_at, used) VALUES (?, ?, ?, ?)",
                t.tokenHash(), t.grantId(), t.expiresAt(), t.used());
    }

    @Override
    public Optional<RefreshToken> refreshToken(Tx tx, String tenant, String tokenHash) {
        return Sql.one(tx, "SELECT r.token_hash, r.grant_id, r.expires_at, r.used FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id WHERE r.token_hash = ? AND g.tenant = ?",
                rs -> new RefreshToken(rs.getString("token_hash"), rs.getString("grant_id"), Sql.instant(rs, "expires_at"),
                        Sql.flag(rs, "used")), tokenHash, tenant);
    }

    @Override
    public Optional<Redeemable> redeemable(Tx tx, String tenant, String tokenHash) {
        return Sql.one(tx, "SELECT r.token_hash, r.expires_at AS rt_expires_at, r.used AS rt_used, " + GRANT_COLUMNS
                + ", EXISTS (SELECT 1 FROM users u WHERE u.tenant = g.tenant AND u.id = g.user_id) AS user_exists"
                + " FROM refresh_tokens r JOIN grants g ON g.id = r.grant_id WHERE r.token_hash = ? AND g.tenant = ?",
                rs -> new Redeemable(new RefreshToken(rs.getString("token_hash"), rs.getString("id"), Sql.instant(rs, "rt_expires_at"),
                        Sql.flag(rs, "rt_used")), grant(rs), rs.getBoolean("user_exists")), tokenHash, tenant);
    }

    @Override
    public boolean useRefreshToken(Tx tx, String tenant, String tokenHash) {
        return Sql.update(tx, "UPDATE refresh_tokens SET used = 1 WHERE token_hash = ? AND used = 0"
                + " AND grant_id IN (SELECT id FROM grants WHERE tenant = ?)", tokenHash, tenant) == 1;
    }

    @Override
    public List<Grant> redeemedInSession(Tx tx, String tenant, String sessionId) {
        return Sql.list(tx, "SELECT " + COLUMNS + " FROM grants WHERE tenant = ? AND session_id = ? AND code_used = 1 ORDER BY created_at, id",
                JdbcGrants::grant, tenant, sessionId);
    }

    private static Grant grant(ResultSet rs) throws SQLException {
        String scopes = rs.getString("scopes");
        Set<String> set = scopes.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(scopes.split(" ")));
        return new Grant(rs.getString("id"), rs.getString("tenant"), rs.getString("client_id"), rs.getString("user_id"),
                rs.getString("session_id"), rs.getString("code_hash"), rs.getString("redirect_uri"), Sql.optional(rs, "code_challenge"),
                Sql.optional(rs, "nonce"), set, Sql.instant(rs, "auth_time"), Sql.instant(rs, "code_expires_at"),
                Sql.flag(rs, "code_used"), Sql.flag(rs, "revoked"), Sql.instant(rs, "created_at"));
    }
}
