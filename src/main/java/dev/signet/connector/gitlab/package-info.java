/** The {@code gitlab} connector kind: an OIDC preset over {@link dev.signet.connector.oidc.OidcConnector}. */
@NullMarked
package dev.signet.connector.gitlab;

import org.jspecify.annotations.NullMarked;
