package dev.signet.store;

import java.time.Instant;
import java.util.Optional;

/** Users and their linked upstream identities. */
public interface UserStore {
    Optional<User> byIdentity(Tx tx, String tenant, String connection, String subject);

    /** The user whose email is verified and equal (case-insensitive) to {@code email}. */
    Optional<User> byVerifiedEmail(Tx tx, String tenant, String email);

    /**
     * The user of the tenant's grant {@code grantId} while the grant is not revoked and no access
     * token {@code jti} of the tenant is revoked (RFC 7009); empty otherwise. {@code /userinfo}'s
     * read in one statement (issue 16: it was three).
     */
    Optional<User> byActiveGrant(Tx tx, String tenant, String grantId, String jti);

    Optional<User> byId(Tx tx, String tenant, String id);

    void create(Tx tx, User user);

    /** Replaces email, verification, name and picture with the upstream's latest. */
    void updateProfile(Tx tx, User user);

    void link(Tx tx, Identity identity, Instant at);
}
