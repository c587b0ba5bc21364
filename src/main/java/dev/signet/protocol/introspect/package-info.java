/**
 * Token introspection (RFC 7662) and revocation (RFC 7009). Both find what a presented token is
 * through {@link dev.signet.protocol.introspect.TokenLookup} (a JWT access token of the request's
 * tenant, verified with its keys, or an opaque refresh token looked up by hash in that tenant), so
 * they live together. Access tokens are revoked by {@code jti} (a list in the store, checked here
 * and at userinfo); refresh tokens by revoking their whole grant (the family).
 */
@NullMarked
package dev.signet.protocol.introspect;

import org.jspecify.annotations.NullMarked;
