/** The {@code okta} connector kind: an OIDC preset over {@link dev.signet.connector.oidc.OidcConnector}. */
@NullMarked
package dev.signet.connector.okta;

import org.jspecify.annotations.NullMarked;
