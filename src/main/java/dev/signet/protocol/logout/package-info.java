/**
 * Signing out: the end-session endpoint (OpenID Connect RP-Initiated Logout 1.0,
 * {@link dev.signet.protocol.logout.EndSessionEndpoint}), ending sessions with their grants and
 * events ({@link dev.signet.protocol.logout.Logouts}, shared with {@code signet sessions revoke}),
 * and the outbox sink that delivers Back-Channel Logout 1.0 logout tokens
 * ({@link dev.signet.protocol.logout.BackchannelLogoutSink}). Collaborators: {@code store}
 * (sessions, grants, consents), {@code event} (the outbox), {@code keys} (hint verification, logout
 * token signing), {@code tenant} (clients' logout metadata). No HTTP routing: {@code web} renders.
 *
 * <pre>
 *   session ends (logout, operator) ── 1 tx ──▶ sessions.revoked, grants revoked, outbox: session.revoked,
 *                                                tokens.revoked, logout.backchannel × client with backchannel_logout_uri
 *   relay ──▶ BackchannelLogoutSink ──▶ POST logout_token=… (retry, backoff, dead letter)
 * </pre>
 */
@NullMarked
package dev.signet.protocol.logout;

import org.jspecify.annotations.NullMarked;
