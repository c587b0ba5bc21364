/**
 * The authorization endpoint: {@link dev.signet.protocol.authorize.AuthorizeRequest} (the one
 * parser, two phases of checks) and {@link dev.signet.protocol.authorize.AuthorizeEndpoint}
 * (authorize and resume, see its state table). Knows nothing of upstreams: when a sign-in is
 * needed it answers {@code SignIn(pending)} and the broker hands back through
 * {@code /authorize/resume}, or runs {@code resumeWithin} in the callback's transaction when the
 * request ends in a code without a page (issue 16).
 */
@NullMarked
package dev.signet.protocol.authorize;

import org.jspecify.annotations.NullMarked;
