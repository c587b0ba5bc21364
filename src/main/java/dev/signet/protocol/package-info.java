/**
 * The OpenID Provider: what applications talk to. Sub-packages hold the authorization and token
 * endpoints; this package holds discovery, userinfo and the helpers they share. It knows nothing of
 * upstreams ({@code connector}, {@code broker}).
 */
@NullMarked
package dev.signet.protocol;

import org.jspecify.annotations.NullMarked;
