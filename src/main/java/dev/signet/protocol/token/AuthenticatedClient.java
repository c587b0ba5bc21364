package dev.signet.protocol.token;

import dev.signet.config.ClientSettings;

/**
 * A client that passed authentication at the token endpoint. Only {@link ClientAuthentication}
 * builds one, so a grant cannot run for an unauthenticated client.
 */
public final class AuthenticatedClient {

    private final ClientSettings settings;

    AuthenticatedClient(ClientSettings settings) {
        this.settings = settings;
    }

    public ClientSettings settings() {
        return settings;
    }

    public String id() {
        return settings.id();
    }
}
