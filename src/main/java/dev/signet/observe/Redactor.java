package dev.signet.observe;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * THE redaction layer: {@link RedactingEncoder} runs every finished log line through {@link
 * #redact} (message after formatting, structured arguments, MDC, exception messages and stack
 * traces alike), in both output formats. It works on the text, not on field names, because
 * postmortem 000 and STACK.md showed field rules miss values that reach the message text.
 *
 * <p>Masked, keeping the key so the line stays readable:
 * <ul>
 *   <li>values after a sensitive key ({@code access_token=…}, {@code "code":"…"}, {@code
 *       Cookie: …}, {@code codeVerifier=…}, any {@code signet_*} cookie), in query strings, JSON
 *       (also escaped inside another JSON string), headers and record {@code toString}s;</li>
 *   <li>{@code Authorization} credentials after {@code Bearer}/{@code Basic} and friends;</li>
 *   <li>JWT/JWS/JWE-shaped strings anywhere;</li>
 *   <li>opaque url-safe strings of 40 or more characters (the shape of Signet's 256-bit codes,
 *       cookies and refresh tokens, and of upstream codes), wherever they appear; a run of only
 *       lower-case letters and underscores is a field name and stays.</li>
 * </ul>
 * Patterns are compiled once; a line without any candidate costs four scans.
 */
public final class Redactor {

    public static final String MASK = "****";

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{2,}(?:\\.[A-Za-z0-9_-]*){2,4}");
    private static final Pattern SCHEME = Pattern.compile("(?i)\\b(Bearer|Basic|Digest|Negotiate|DPoP)(\\s+)[A-Za-z0-9._~+/=-]+");
    /** Any {@code key=value} / {@code "key":"value"} / {@code key: value}; whether the key is sensitive is decided in code. */
    private static final Pattern KEYED = Pattern.compile("\\b([A-Za-z][A-Za-z0-9_-]*+)(\\\\?\"?'?\\s*+[:=]\\s*+\\\\?\"?'?)"
            + "(?=([^\"'\\\\&\\s,;}\\])]++))");
    private static final Set<String> KEYS = Set.of("code", "code_challenge", "codechallenge", "state", "state_hash", "statehash", "nonce",
            "authorization", "proxy-authorization", "session", "x-api-key", "api_key", "apikey", "user_code", "device_code"); // RFC 8628
    private static final List<String> KEY_SUFFIXES = List.of("token", "secret", "password", "passwd", "verifier", "cookie", "credential",
            "assertion", "cookie_value", "cookievalue");
    /** Opaque url-safe strings at least this long are masked wherever they are. */
    static final int OPAQUE_MIN = 40;

    private Redactor() {}

    /** {@code text} with every secret-shaped value replaced by {@value #MASK}. */
    public static String redact(String text) {
        String s = JWT.matcher(text).replaceAll(MASK);
        s = SCHEME.matcher(s).replaceAll("$1$2" + MASK);
        s = keyed(s);
        return opaque(s);
    }

    /** Runs of 40+ url-safe base64 characters become {@value #MASK}; a plain scan (a regex here cost most of the time). */
    private static String opaque(String s) {
        StringBuilder out = null;
        int copied = 0;
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!urlSafe(s.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            boolean snakeCase = true;
            boolean underscore = false;
            while (i < n && urlSafe(s.charAt(i))) {
                char c = s.charAt(i);
                snakeCase &= (c >= 'a' && c <= 'z') || c == '_';
                underscore |= c == '_';
                i++;
            }
            // A snake_case name (authorization_response_iss_parameter_supported) is a field name, not a
            // secret: 256 random bits in base64url are all lower case and underscores with odds ~(27/64)^43.
            if (i - start >= OPAQUE_MIN && !(snakeCase && underscore)) {
                if (out == null) {
                    out = new StringBuilder(n);
                }
                out.append(s, copied, start).append(MASK);
                copied = i;
            }
        }
        return out == null ? s : out.append(s, copied, n).toString();
    }

    private static boolean urlSafe(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    /**
     * Masks the value after each sensitive key. The value is matched in a lookahead, so after a
     * key that is not sensitive the scan goes on inside its value ({@code "detail":"id_token=…"}).
     */
    private static String keyed(String s) {
        Matcher m = KEYED.matcher(s);
        StringBuilder out = null;
        int copied = 0;
        int from = 0;
        while (from < s.length() && m.find(from)) {
            if (sensitive(m.group(1))) {
                if (out == null) {
                    out = new StringBuilder(s.length());
                }
                int valueEnd = m.end() + m.group(3).length();
                out.append(s, copied, m.end()).append(MASK);
                copied = valueEnd;
                from = valueEnd;
            } else {
                from = m.end();
            }
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    /** A key whose value is masked: see the class comment; case-insensitive. */
    static boolean sensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (KEYS.contains(k) || k.startsWith("signet_")) {
            return true;
        }
        for (String suffix : KEY_SUFFIXES) {
            if (k.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }
}
