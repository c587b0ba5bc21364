package dev.signet.corpus;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Replaces every value that may identify a person or grant access with a synthetic one of the same
 * shape and type, before anything of an upstream exchange is written (README "Upstream corpus"):
 *
 * <ul>
 *   <li>Field names are always kept; so are {@code null} and booleans ({@code email_verified}: replay needs them).
 *   <li>The values of {@link #KEPT} fields are kept: protocol facts that identify no person
 *       ({@code iss}, {@code aud}, {@code exp}, {@code token_type}, {@code scope}, {@code alg}…).
 *   <li>Any other string: an email stays an email (its domain kept only if it is one of the
 *       connection's {@code email_domains}, else {@code example.com}); a JWT stays JWT-shaped
 *       (header {@code alg: none}, no original byte); a URL becomes an {@code https://example.com/}
 *       one; anything else keeps its length and character classes (letters, digits, the rest as is),
 *       so a UUID stays a UUID. A number keeps its kind and digit count.
 *   <li>Within one exchange the same original gets the same synthetic value (the ID token's
 *       {@code sub} and userinfo's {@code sub} still match, as replay checks), and a whole number
 *       and its decimal string get the same digits (GitHub's numeric {@code id} and the subject
 *       mapped from it).
 *   <li>A connection's public names ({@code connector.PublicNames}: the GitHub organisations and
 *       teams it is restricted to) are kept wherever they appear, so replay can run the restriction.
 * </ul>
 *
 * Allow-list, not deny-list: a field this class does not know is replaced.
 */
public final class Synthetic {

    /** Fields whose values are kept: they describe the protocol, not a person, and grant nothing. */
    public static final Set<String> KEPT = Set.of("iss", "aud", "azp", "exp", "iat", "nbf", "auth_time", "token_type", "expires_in",
            "refresh_token_expires_in", "scope", "alg", "kid", "typ", "cty", "kty", "use", "crv", "error", "error_uri", "amr", "acr", "tid",
            "tenant_region_scope", "hd", "email_verified", "verified", "primary", "locale", "zoneinfo", "ver", "idp", "type");

    private static final Pattern EMAIL = Pattern.compile("[^@\\s\"]+@([A-Za-z0-9.-]+\\.[A-Za-z]{2,})");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*)+");
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String UPPER = LOWER.toUpperCase(Locale.ROOT);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

    private final Set<String> domains;
    private final Set<String> names;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> strings = new HashMap<>();
    private final Map<String, JsonNode> numbers = new HashMap<>();
    private int next;

    /** {@code domains}: the connection's configured email domains, kept in synthetic emails. */
    public Synthetic(Collection<String> domains) {
        this(domains, Set.of());
    }

    /** {@code names}: values kept wherever they appear (case-insensitive), see {@code connector.PublicNames}. */
    public Synthetic(Collection<String> domains, Collection<String> names) {
        this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.names = names.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** A synthetic copy of {@code node}: objects and arrays walked, {@link #KEPT} fields' values kept. */
    public JsonNode copy(JsonNode node) {
        return copy(null, node);
    }

    private JsonNode copy(String field, JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                out.set(e.getKey(), copy(e.getKey(), e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> out.add(copy(field, v)));
            return out;
        }
        if (node.isNull() || node.isBoolean() || (field != null && KEPT.contains(field))) {
            return node.deepCopy();
        }
        if (node.isNumber()) {
            String key = node.asString();
            if (node.isIntegralNumber() && DIGITS.matcher(key).matches()) {
                return JsonNodeFactory.instance.numberNode(Long.parseLong(string(key)));
            }
            return numbers.computeIfAbsent(key, n -> number(node));
        }
        if (names.contains(node.asString().toLowerCase(Locale.ROOT))) {
            return node.deepCopy();
        }
        if (field != null && field.equals("error_description")) {
            return JsonNodeFactory.instance.stringNode(text(node.asString()));
        }
        return JsonNodeFactory.instance.stringNode(string(node.asString()));
    }

    /** A synthetic value for one string (an email, a JWT, a URL, or any other string). */
    public String string(String s) {
        return strings.computeIfAbsent(s, this::fresh);
    }

    /** Free text with every email in it made synthetic (an error description may quote the user's address). */
    public String text(String s) {
        Matcher m = EMAIL.matcher(s);
        return m.replaceAll(r -> Matcher.quoteReplacement(string(r.group())));
    }

    private String fresh(String s) {
        int n = ++next;
        Matcher email = EMAIL.matcher(s);
        if (email.matches()) {
            String domain = email.group(1).toLowerCase(Locale.ROOT);
            return "user" + n + "@" + (domains.contains(domain) ? domain : "example.com");
        }
        if (DIGITS.matcher(s).matches()) { // the same digits as the number it may also appear as (see number())
            StringBuilder d = new StringBuilder().append((char) ((s.length() == 1 ? '0' : '1') + random.nextInt(s.length() == 1 ? 10 : 9)));
            for (int i = 1; i < s.length(); i++) {
                d.append((char) ('0' + random.nextInt(10)));
            }
            return d.toString().equals(s) ? fresh(s) : d.toString();
        }
        if (JWT.matcher(s).matches()) {
            return B64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                    + B64.encodeToString(("{\"synthetic\":" + n + "}").getBytes(StandardCharsets.UTF_8)) + ".c3ludGhldGlj";
        }
        if (s.startsWith("https://") || s.startsWith("http://")) {
            try {
                return new URI("https", "example.com", "/synthetic/" + n, null).toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> out.append(Character.isDigit(c) ? (char) ('0' + random.nextInt(10))
                : Character.isUpperCase(c) ? UPPER.charAt(random.nextInt(26))
                : Character.isLetter(c) ? LOWER.charAt(random.nextInt(26))
                : c == ' ' || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' ? (char) c
                : 'x'));
        String made = out.toString();
        return made.equals(s) && s.codePoints().anyMatch(Character::isLetterOrDigit) ? fresh(s) : made;
    }

    private JsonNode number(JsonNode n) {
        if (n.isIntegralNumber()) {
            int digits = Math.max(1, n.asString().replace("-", "").length());
            StringBuilder d = new StringBuilder().append((char) ('1' + random.nextInt(9)));
            for (int i = 1; i < Math.min(digits, 18); i++) {
                d.append((char) ('0' + random.nextInt(10)));
            }
            long v = Long.parseLong(d.toString());
            return digits == 1 ? JsonNodeFactory.instance.numberNode((long) random.nextInt(10)) : JsonNodeFactory.instance.numberNode(v);
        }
        return JsonNodeFactory.instance.numberNode(Math.round(random.nextDouble() * 1000) / 10.0);
    }
}
