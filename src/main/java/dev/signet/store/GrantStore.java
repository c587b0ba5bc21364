package dev.signet.store;

import java.util.Optional;

/** Authorization-code grants and the refresh-token families issued from them. */
public interface GrantStore {
    void create(Tx tx, Grant grant);

    Optional<Grant> byCodeHash(Tx tx, String codeHash);

    Optional<Grant> byId(Tx tx, String id);

    /** Marks the code used; false when it already was (compare-and-set). */
    boolean useCode(Tx tx, String grantId);

    /** Revokes the grant: its refresh tokens and access tokens stop working. */
    void revoke(Tx tx, String grantId);

    void addRefreshToken(Tx tx, RefreshToken token);

    Optional<RefreshToken> refreshToken(Tx tx, String tokenHash);

    /** Marks the refresh token rotated; false when it already was (compare-and-set). */
    boolean useRefreshToken(Tx tx, String tokenHash);
}
