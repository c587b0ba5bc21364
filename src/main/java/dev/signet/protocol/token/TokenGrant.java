package dev.signet.protocol.token;

import dev.signet.protocol.Params;
import dev.signet.tenant.Tenant;

/**
 * One grant type at the token endpoint. Client authentication and the "may this client use this
 * grant" check run in {@link TokenEndpoint} before a grant is called, so no grant can skip them.
 */
interface TokenGrant {
    TokenResponse handle(Tenant tenant, AuthenticatedClient client, Params form);
}
