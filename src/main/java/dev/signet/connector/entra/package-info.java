/** The {@code entra} connector kind: an OIDC preset over {@link dev.signet.connector.oidc.OidcConnector}. */
@NullMarked
package dev.signet.connector.entra;

import org.jspecify.annotations.NullMarked;
