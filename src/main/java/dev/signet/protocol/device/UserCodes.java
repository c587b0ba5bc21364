package dev.signet.protocol.device;

import dev.signet.Ids;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * User codes (RFC 8628 §6.1): 8 characters from 20 consonants with no vowel (no words) and nothing
 * that reads like another character (no 0/O, 1/I/L, 5/S, 2/Z… since there are no digits and no
 * vowels), shown as {@code XXXX-XXXX}; 20^8 ≈ 2.6·10^10 codes, about 34 bits. Typed input is read
 * case-insensitively, ignoring spaces and dashes (§6.1: "the authorization server should ignore any
 * characters like punctuation"). Stored without the dash.
 */
public final class UserCodes {

    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;

    private final SecureRandom random = new SecureRandom();

    UserCodes() {}

    /** A fresh code, without the dash. {@link Ids} has no alphabet of its own, so the JDK's SecureRandom draws it. */
    String next() {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /** {@code BCDFGHJK} → {@code BCDF-GHJK}. */
    public static String display(String code) {
        return code.length() == LENGTH ? code.substring(0, 4) + "-" + code.substring(4) : code;
    }

    /** What a person typed, as stored; empty when it cannot be a code (wrong length or a character outside the alphabet). */
    public static Optional<String> normalize(String typed) {
        StringBuilder b = new StringBuilder(LENGTH);
        for (char ch : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (ch == '-' || Character.isWhitespace(ch)) {
                continue;
            }
            if (ALPHABET.indexOf(ch) < 0 || b.length() == LENGTH) {
                return Optional.empty();
            }
            b.append(ch);
        }
        return b.length() == LENGTH ? Optional.of(b.toString()) : Optional.empty();
    }
}
