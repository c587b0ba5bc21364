package dev.signet.store;

import java.time.Instant;

/** One refresh token of a grant's family; {@code used} once it was rotated (RFC 9700 §4.14.2). */
public record RefreshToken(String tokenHash, String grantId, Instant expiresAt, boolean used) {}
