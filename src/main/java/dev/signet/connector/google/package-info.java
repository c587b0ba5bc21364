/** The {@code google} connector kind: an OIDC preset over {@link dev.signet.connector.oidc.OidcConnector}. */
@NullMarked
package dev.signet.connector.google;

import org.jspecify.annotations.NullMarked;
