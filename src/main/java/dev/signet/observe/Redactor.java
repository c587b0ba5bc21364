package dev.signet.observe;

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
 *       cookies and refresh tokens, and of upstream codes), wherever they appear.</li>
 * </ul>
 * Patterns are compiled once; a line without any candidate costs four scans.
 */
public final class Redactor {

    public static final String MASK = "****";

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{2,}(?:\\.[A-Za-z0-9_-]*){2,4}");
    private static final Pattern SCHEME = Pattern.compile("(?i)\\b(Bearer|Basic|Digest|Negotiate|DPoP)(\\s+)[A-Za-z0-9._~+/=-]+");
    private static final Pattern KEYED = Pattern.compile("(?i)(\\b(?:[a-z_-]*(?:token|secret|password|passwd|verifier|cookie"
            + "|credential|assertion|cookie_?value)|code|code_?challenge|state|state_?hash|nonce|authorization|proxy-authorization"
            + "|session|signet_[a-z_]+|x-api-key|api_?key)\\b)"
            + "(\\\\?\"?'?\\s*[:=]\\s*\\\\?\"?'?)([^\"'\\\\&\\s,;}\\])]+)");
    private static final Pattern OPAQUE = Pattern.compile("(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{40,}(?![A-Za-z0-9_-])");

    private Redactor() {}

    /** {@code text} with every secret-shaped value replaced by {@value #MASK}. */
    public static String redact(String text) {
        String s = JWT.matcher(text).replaceAll(MASK);
        s = SCHEME.matcher(s).replaceAll("$1$2" + MASK);
        s = KEYED.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
        return OPAQUE.matcher(s).replaceAll(MASK);
    }
}
