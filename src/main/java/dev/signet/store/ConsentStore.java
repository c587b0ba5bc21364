package dev.signet.store;

import java.util.Optional;

/**
 * Consent a user gave a client (OIDC Core §3.1.2.4): the scopes approved, per tenant × user ×
 * client. Every call takes the tenant and matches it in the query.
 */
public interface ConsentStore {

    /** What the user approved for the client in the tenant, if anything. */
    Optional<Consent> find(Tx tx, String tenant, String userId, String clientId);

    /** Records the consent, replacing an earlier one of the same user and client. */
    void save(Tx tx, Consent consent);

    /** Forgets every consent of the user in the tenant; returns how many. */
    int revokeAll(Tx tx, String tenant, String userId);
}
