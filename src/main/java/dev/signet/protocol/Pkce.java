package dev.signet.protocol;

import dev.signet.Ids;

/** PKCE (RFC 7636). Only S256 is supported; {@code plain} is rejected (RFC 9700 §2.1.1). */
public final class Pkce {

    private Pkce() {}

    /** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
    public static boolean isValidVerifier(String v) {
        return v.length() >= 43 && v.length() <= 128 && v.chars().allMatch(Pkce::unreserved);
    }

    /** An S256 challenge is the base64url SHA-256 of the verifier: exactly 43 characters (RFC 7636 §4.2). */
    public static boolean isValidS256Challenge(String c) {
        return c.length() == 43 && c.chars().allMatch(Pkce::unreserved);
    }

    /** RFC 7636 §4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))), which is exactly {@link Ids#hash}. */
    public static String s256(String verifier) {
        return Ids.hash(verifier);
    }

    /** RFC 7636 §4.6, compared in constant time. */
    public static boolean matches(String verifier, String challenge) {
        return isValidVerifier(verifier) && Ids.sameHash(s256(verifier), challenge);
    }

    private static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
