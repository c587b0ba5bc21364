/**
 * The Device Authorization Grant (RFC 8628), apart from its token grant (which lives with the other
 * grants in {@code protocol.token}): the device authorization endpoint and the verification page's
 * logic (find a user code, deny). Approval goes through the usual sign-in journey:
 * {@link dev.signet.protocol.authorize.AuthorizeEndpoint#device} waits as a pending authorization
 * while the user signs in at a connection, and its resume approves the device code.
 */
@NullMarked
package dev.signet.protocol.device;

import org.jspecify.annotations.NullMarked;
