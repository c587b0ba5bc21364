package dev.signet.store;

import java.time.Instant;
import java.util.Set;

/** The scopes a user approved for a client ({@link ConsentStore}). */
public record Consent(String tenant, String userId, String clientId, Set<String> scopes, Instant grantedAt) {
    public Consent {
        scopes = Set.copyOf(scopes);
    }

    /** True when every scope asked for was approved (a superset asks again). */
    public boolean covers(Set<String> asked) {
        return scopes.containsAll(asked);
    }
}
