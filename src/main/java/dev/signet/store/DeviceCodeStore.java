package dev.signet.store;

import java.time.Instant;
import java.util.Optional;

/** Device authorizations (RFC 8628); every lookup and change is within one tenant. */
public interface DeviceCodeStore {
    /** False when the tenant already has this user code (the caller draws another). */
    boolean create(Tx tx, DeviceCode code);

    Optional<DeviceCode> byDeviceCodeHash(Tx tx, String tenant, String deviceCodeHash);

    Optional<DeviceCode> byUserCode(Tx tx, String tenant, String userCode);

    Optional<DeviceCode> byId(Tx tx, String tenant, String id);

    /** Records a poll at {@code at} with the (possibly raised) interval. */
    void polled(Tx tx, String tenant, String id, Instant at, long intervalSeconds);

    /** PENDING → APPROVED for this user and session; false when it was not pending (compare-and-set). */
    boolean approve(Tx tx, String tenant, String id, String userId, String sessionId, Instant authTime);

    /** PENDING → DENIED; false when it was not pending. */
    boolean deny(Tx tx, String tenant, String id);

    /** APPROVED → REDEEMED; false when it was not approved (a second redemption loses). */
    boolean redeem(Tx tx, String tenant, String id);
}
