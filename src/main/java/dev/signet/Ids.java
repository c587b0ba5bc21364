package dev.signet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secure random identifiers and secrets, and the one way Signet hashes a bearer secret before it
 * reaches the store. Injected (convention 8) so tests may use a seeded source.
 */
public final class Ids {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final MessageDigest SHA256 = prototype();
    private final SecureRandom random;

    public Ids(SecureRandom random) {
        this.random = random;
    }

    /**
     * A DRBG (NIST SP 800-90A Hash_DRBG) seeded once from the OS: unlike the default NativePRNG it
     * makes no system call per value, which matters with several random values per request.
     */
    public static Ids secure() {
        try {
            return new Ids(SecureRandom.getInstance("DRBG"));
        } catch (NoSuchAlgorithmException e) {
            return new Ids(new SecureRandom());
        }
    }

    /** A 256-bit secret, base64url: cookies, codes, refresh tokens, state, nonce, PKCE verifiers. */
    public String secret() {
        return random(32);
    }

    /** A 128-bit identifier, base64url: row ids, correlation ids, jti. */
    public String id() {
        return random(16);
    }

    /**
     * A 128-bit correlation id, base64url, from {@link java.util.concurrent.ThreadLocalRandom}: it
     * names a request in the logs and on error pages and guards nothing, so it takes no turn at the
     * shared DRBG (one lock for every request; ~1.5 % of a discovery request's CPU, issue 16).
     */
    public static String correlationId() {
        var r = java.util.concurrent.ThreadLocalRandom.current();
        byte[] b = new byte[16];
        long hi = r.nextLong(), lo = r.nextLong();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return B64.encodeToString(b);
    }

    private String random(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return B64.encodeToString(b);
    }

    /**
     * SHA-256 of a high-entropy bearer secret, base64url. Stores keep only this, so a database leak
     * yields no usable codes, sessions or refresh tokens. Not for low-entropy (human) secrets.
     */
    public static String hash(String secret) {
        return B64.encodeToString(sha256().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh SHA-256 digest, cloned from a prototype: no provider lookup per call. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException("SHA-256 is required by the JDK", impossible);
            }
        }
    }

    private static MessageDigest prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the JDK", e);
        }
    }

    /** Constant-time comparison of two hashes (RFC 6749 §10.3 timing). */
    public static boolean sameHash(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
