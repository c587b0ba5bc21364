package dev.signet.store;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One device authorization request (RFC 8628 §3.1): the device polls with the secret device code
 * (only its hash is kept), the user types the user code on the verification page. {@code userId},
 * {@code sessionId} and {@code authTime} are set when the user approves.
 */
public record DeviceCode(String id, String tenant, String clientId, String deviceCodeHash, String userCode, Set<String> scopes,
        long intervalSeconds, Optional<Instant> lastPolledAt, Status status, Optional<String> userId, Optional<String> sessionId,
        Optional<Instant> authTime, Instant createdAt, Instant expiresAt) {

    public DeviceCode {
        scopes = Set.copyOf(scopes);
    }

    /** PENDING until the user decides; APPROVED or DENIED then; REDEEMED once tokens were issued (single use). */
    public enum Status { PENDING, APPROVED, DENIED, REDEEMED }
}
