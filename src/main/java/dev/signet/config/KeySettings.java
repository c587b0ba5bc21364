package dev.signet.config;

import java.time.Duration;
import java.util.Set;

/**
 * Signing-key rotation ({@code keys:}, issue 14). Every tenant's keys are rotated every {@code
 * rotateEvery}; a new key is published in the JWKS {@code publishAhead} before it signs anything,
 * which is at least the JWKS cache lifetime Signet advertises ({@link #JWKS_MAX_AGE}), so a relying
 * party that cached the JWKS just before the new key appeared still knows it when it sees its first
 * token.
 */
public record KeySettings(Duration rotateEvery, Duration publishAhead) {

    /** {@code Cache-Control: max-age} of the JWKS document (the web layer sends it). */
    public static final Duration JWKS_MAX_AGE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_ROTATE_EVERY = Duration.ofDays(30);
    public static final Duration DEFAULT_PUBLISH_AHEAD = Duration.ofMinutes(10);
    /** Below this a rotation would overlap the previous one's publication. */
    static final Duration MIN_ROTATE_EVERY = Duration.ofHours(1);

    public static final KeySettings DEFAULTS = new KeySettings(DEFAULT_ROTATE_EVERY, DEFAULT_PUBLISH_AHEAD);

    public KeySettings {
        if (publishAhead.compareTo(JWKS_MAX_AGE) < 0 || rotateEvery.compareTo(publishAhead.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("publish_ahead must be at least " + JWKS_MAX_AGE.toMinutes()
                    + "m and rotate_every at least twice publish_ahead");
        }
    }

    /** The {@code keys:} section. */
    static KeySettings read(ConfigNode n) {
        n.allowOnly(Set.of("rotate_every", "publish_ahead"));
        Duration rotateEvery = n.duration("rotate_every", DEFAULT_ROTATE_EVERY);
        Duration publishAhead = n.duration("publish_ahead", DEFAULT_PUBLISH_AHEAD);
        boolean ok = true;
        if (publishAhead.compareTo(JWKS_MAX_AGE) < 0) {
            n.problem("publish_ahead", "must be at least " + JWKS_MAX_AGE.toMinutes()
                    + "m, the JWKS cache lifetime Signet advertises (a relying party must see a key before its first token)");
            ok = false;
        }
        if (rotateEvery.compareTo(MIN_ROTATE_EVERY) < 0) {
            n.problem("rotate_every", "must be at least 1h");
            ok = false;
        } else if (rotateEvery.compareTo(publishAhead.multipliedBy(2)) < 0) {
            n.problem("rotate_every", "must be at least twice publish_ahead (" + publishAhead + ")");
            ok = false;
        }
        return ok ? new KeySettings(rotateEvery, publishAhead) : DEFAULTS;
    }
}
