package dev.signet.store;

import java.util.List;
import java.util.Optional;

/**
 * Authorization-code grants and the refresh-token families issued from them.
 *
 * <p>Every call that finds or changes an existing grant or refresh token takes the tenant and
 * matches it in the query itself: a code or refresh token of one tenant does not exist in another
 * (issue 11), even for a client with the same id there.
 */
public interface GrantStore {
    void create(Tx tx, Grant grant);

    Optional<Grant> byCodeHash(Tx tx, String tenant, String codeHash);

    Optional<Grant> byId(Tx tx, String tenant, String id);

    /** Marks the code used; false when it already was, or is not the tenant's (compare-and-set). */
    boolean useCode(Tx tx, String tenant, String grantId);

    /** Revokes the tenant's grant: its refresh tokens and access tokens stop working; announced to every node ({@link Changes}). */
    void revoke(Tx tx, String tenant, String grantId);

    void addRefreshToken(Tx tx, RefreshToken token);

    /** The refresh token, if its grant is the tenant's. */
    Optional<RefreshToken> refreshToken(Tx tx, String tenant, String tokenHash);

    /**
     * A refresh token with its grant, and whether the grant's user still exists, if the grant is the
     * tenant's: what a refresh checks, in one statement (issue 16: the single writer is held for the
     * statements of a refresh, so each one it does not run shortens every queued refresh's wait).
     */
    Optional<Redeemable> redeemable(Tx tx, String tenant, String tokenHash);

    /** {@link #redeemable}'s answer. */
    record Redeemable(RefreshToken token, Grant grant, boolean userExists) {}

    /** Marks the refresh token rotated; false when it already was, or is not the tenant's (compare-and-set). */
    boolean useRefreshToken(Tx tx, String tenant, String tokenHash);

    /** The tenant's grants whose code was redeemed (tokens were issued) in session {@code sessionId}. */
    List<Grant> redeemedInSession(Tx tx, String tenant, String sessionId);
}
