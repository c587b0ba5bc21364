/**
 * The generic OAuth 2.0 upstream without OIDC ({@code kind: oauth2}): manual endpoints and a
 * JSON-pointer mapping of the userinfo answer; RFC 9207 stated explicitly per connection.
 */
@NullMarked
package dev.signet.connector.oauth2;

import org.jspecify.annotations.NullMarked;
