package dev.signet.store;

import java.time.Instant;
import java.util.Map;

/**
 * An authorization request waiting for the user to sign in. {@code params} are the original,
 * already validated request parameters; they are parsed again on resume by the same parser.
 */
public record PendingAuthorization(String id, String tenant, String clientId, Map<String, String> params,
        Instant createdAt, Instant expiresAt) {
    public PendingAuthorization {
        params = Map.copyOf(params);
    }
}
