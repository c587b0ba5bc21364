/** The generic OpenID Connect upstream ({@code kind: oidc}), discovery {@code auto} or {@code manual}. */
@NullMarked
package dev.signet.connector.oidc;

import org.jspecify.annotations.NullMarked;
