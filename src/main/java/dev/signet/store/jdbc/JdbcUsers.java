package dev.signet.store.jdbc;

import dev.signet.store.Identity;
import dev.signet.store.Tx;
import dev.signet.store.User;
import dev.signet.store.UserStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** {@link UserStore} over JDBC. Emails are stored lower-cased so lookups are case-insensitive. */
public final class JdbcUsers implements UserStore {

    private static final String COLUMNS = "u.id, u.tenant, u.email, u.email_verified, u.name, u.picture, u.created_at";

    @Override
    public Optional<User> byIdentity(Tx tx, String tenant, String connection, String subject) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM identities i JOIN users u ON u.id = i.user_id"
                + " WHERE i.tenant = ? AND i.connection = ? AND i.subject = ?", JdbcUsers::user, tenant, connection, subject);
    }

    @Override
    public Optional<User> byVerifiedEmail(Tx tx, String tenant, String email) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM users u WHERE u.tenant = ? AND u.email = ? AND u.email_verified = 1"
                + " ORDER BY u.created_at LIMIT 1", JdbcUsers::user, tenant, email.toLowerCase(Locale.ROOT));
    }

    @Override
    public Optional<User> byId(Tx tx, String tenant, String id) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM users u WHERE u.tenant = ? AND u.id = ?", JdbcUsers::user, tenant, id);
    }

    @Override
    public Optional<User> byActiveGrant(Tx tx, String tenant, String grantId, String jti) {
        return Sql.one(tx, "SELECT " + COLUMNS + " FROM grants g JOIN users u ON u.tenant = g.tenant AND u.id = g.user_id"
                + " WHERE g.tenant = ? AND g.id = ? AND g.revoked = 0"
                + " AND NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.tenant = g.tenant AND r.jti = ?)", JdbcUsers::user,
                tenant, grantId, jti);
    }

    @Override
    public void create(Tx tx, User u) {
        Sql.update(tx, "INSERT INTO users (id, tenant, email, email_verified, name, picture, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                u.id(), u.tenant(), u.email().map(e -> e.toLowerCase(Locale.ROOT)), u.emailVerified(), u.name(), u.picture(), u.createdAt());
    }

    @Override
    public void updateProfile(Tx tx, User u) {
        Sql.update(tx, "UPDATE users SET email = ?, email_verified = ?, name = ?, picture = ? WHERE tenant = ? AND id = ?",
                u.email().map(e -> e.toLowerCase(Locale.ROOT)), u.emailVerified(), u.name(), u.picture(), u.tenant(), u.id());
    }

    @Override
    public void link(Tx tx, Identity i, Instant at) {
        Sql.update(tx, "INSERT INTO identities (tenant, connection, subject, user_id, created_at) VALUES (?, ?, ?, ?, ?)",
                i.tenant(), i.connection(), i.subject(), i.userId(), at);
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("tenant"), Sql.optional(rs, "email"), Sql.flag(rs, "email_verified"),
                Sql.optional(rs, "name"), Sql.optional(rs, "picture"), Sql.instant(rs, "created_at"));
    }
}
