package dev.signet.keys;

import dev.signet.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The key that encrypts private signing keys at rest, from the environment variable
 * {@code SIGNET_MASTER_KEY} (at least 32 characters; a 256-bit AES key is derived with SHA-256).
 */
public final class MasterKey {

    public static final String ENV = "SIGNET_MASTER_KEY";
    private final byte[] aesKey;

    private MasterKey(byte[] aesKey) {
        this.aesKey = aesKey;
    }

    /** Empty when the variable is unset; throws with a clear message when it is too short. */
    public static Optional<MasterKey> fromEnvironment(java.util.Map<String, String> env) {
        String v = env.get(ENV);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(of(new Secret(v)));
    }

    public static MasterKey of(Secret secret) {
        if (secret.value().length() < 32) {
            throw new IllegalArgumentException(ENV + " must be at least 32 characters");
        }
        try {
            return new MasterKey(MessageDigest.getInstance("SHA-256").digest(secret.value().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] aesKey() {
        return aesKey.clone();
    }

    @Override
    public String toString() {
        return "MasterKey[****]";
    }
}
