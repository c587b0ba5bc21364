package dev.signet.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A path-aware reader over one mapping of the YAML tree. Every typed read reports a problem with
 * its full path instead of throwing, so one load lists every problem. {@code ${VAR}} in a string
 * is replaced from the environment (after parsing, so a variable cannot inject YAML structure).
 * Used only while loading: the result is immutable records.
 */
public final class ConfigNode {

    private final JsonNode node;
    private final String path;
    private final Problems problems;
    private final Map<String, String> env;

    ConfigNode(JsonNode node, String path, Problems problems, Map<String, String> env) {
        this.node = node;
        this.path = path;
        this.problems = problems;
        this.env = env;
    }

    public String path() {
        return path;
    }

    public String pathOf(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public void problem(String key, String message) {
        problems.add(pathOf(key), message);
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** Reports every key not in {@code allowed}: a misspelt key must not be silently ignored. */
    public void allowOnly(Set<String> allowed) {
        for (String key : node.propertyNames()) {
            if (!allowed.contains(key)) {
                problems.add(pathOf(key), "unknown key (allowed here: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    public Optional<String> optString(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.isContainer()) {
            problem(key, "must be a string");
            return Optional.empty();
        }
        return substitute(key, v.asString());
    }

    public String string(String key) {
        Optional<String> v = optString(key);
        if (v.isEmpty() && !has(key)) {
            problem(key, "is required");
        }
        return v.orElse("");
    }

    /** Whether the value is written as a {@code ${VAR}} reference (a secret that must not sit in the file). */
    public boolean fromEnvironment(String key) {
        JsonNode v = node.get(key);
        return v != null && v.isString() && v.asString().contains("${");
    }

    public Optional<Secret> optSecret(String key) {
        return optString(key).map(Secret::new);
    }

    public Optional<URI> optUri(String key) {
        return optString(key).flatMap(s -> absoluteHttpUri(key, s));
    }

    public URI uri(String key) {
        Optional<URI> v = optUri(key);
        if (v.isEmpty() && !has(key)) {
            problem(key, "is required");
        }
        return v.orElse(URI.create("http://invalid.invalid"));
    }

    private Optional<URI> absoluteHttpUri(String key, String s) {
        try {
            URI u = new URI(s);
            if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
                problem(key, "must be an absolute http(s) URL, got '" + s + "'");
                return Optional.empty();
            }
            if (u.getFragment() != null) {
                problem(key, "must not contain a fragment");
                return Optional.empty();
            }
            return Optional.of(u);
        } catch (URISyntaxException e) {
            problem(key, "is not a valid URL: " + e.getReason());
            return Optional.empty();
        }
    }

    /** A file system path; one the platform cannot represent (a NUL character, say) is a problem, never an exception. */
    public Optional<Path> optPath(String key) {
        Optional<String> s = optString(key);
        try {
            return s.map(Path::of);
        } catch (InvalidPathException e) {
            problem(key, "is not a valid path: " + e.getReason());
            return Optional.empty();
        }
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        Optional<String> s = v.isString() ? substitute(key, v.asString()) : Optional.empty();
        if (s.isPresent() && (s.get().equals("true") || s.get().equals("false"))) {
            return Boolean.parseBoolean(s.get());
        }
        problem(key, "must be true or false");
        return fallback;
    }

    public int integer(String key, int fallback, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        int i;
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            i = v.intValue();
        } else if (v.isString()) {
            // e.g. port: ${PORT}
            Optional<String> s = substitute(key, v.asString());
            if (s.isEmpty()) {
                return fallback;
            }
            try {
                i = Integer.parseInt(s.get().trim());
            } catch (NumberFormatException e) {
                problem(key, "must be a whole number, got '" + s.get() + "'");
                return fallback;
            }
        } else {
            problem(key, "must be a whole number");
            return fallback;
        }
        if (i < min || i > max) {
            problem(key, "must be between " + min + " and " + max + ", got " + i);
            return fallback;
        }
        return i;
    }

    /** The longest duration any setting accepts (100 years). */
    static final Duration MAX_DURATION = Duration.ofDays(36_500);

    /** A duration such as {@code 250ms}, {@code 90s}, {@code 10m}, {@code 24h}, {@code 30d} or ISO-8601 {@code PT10M}. */
    public Duration duration(String key, Duration fallback) {
        Optional<String> s = optString(key);
        if (s.isEmpty()) {
            return fallback;
        }
        Optional<Duration> d = parseDuration(s.get());
        if (d.isEmpty() || d.get().isNegative() || d.get().isZero()) {
            problem(key, "must be a positive duration like 90s, 10m, 24h or 30d, got '" + s.get() + "'");
            return fallback;
        }
        if (d.get().compareTo(MAX_DURATION) > 0) {
            // lifetimes are added to the clock and stored in epoch milliseconds: keep them far from overflow
            problem(key, "must be at most " + MAX_DURATION.toDays() + "d, got '" + s.get() + "'");
            return fallback;
        }
        return d.get();
    }

    /** As {@link #duration}, where {@code 0s} (or {@code 0}) is also accepted and means "none". */
    public Duration durationOrZero(String key, Duration fallback) {
        Optional<String> s = optString(key);
        if (s.isPresent() && (s.get().trim().equals("0") || parseDuration(s.get()).filter(Duration::isZero).isPresent())) {
            return Duration.ZERO;
        }
        return duration(key, fallback);
    }

    static Optional<Duration> parseDuration(String s) {
        String t = s.trim();
        if (t.length() < 2) {
            return Optional.empty();
        }
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Optional.of(Duration.parse(t));
            }
            if (t.endsWith("ms")) {
                return Optional.of(Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2))));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Optional.of(Duration.ofSeconds(n));
                case 'm' -> Optional.of(Duration.ofMinutes(n));
                case 'h' -> Optional.of(Duration.ofHours(n));
                case 'd' -> Optional.of(Duration.ofDays(n));
                default -> Optional.empty();
            };
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return Optional.empty(); // ArithmeticException: more days, hours or minutes than a Duration holds
        }
    }

    /**
     * A nested mapping as JSON text (a JWK Set, say), or a string holding JSON text (after {@code ${VAR}}
     * substitution, so that keys can come from the environment); empty when absent.
     */
    public Optional<String> json(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.isString()) {
            return substitute(key, v.asString());
        }
        if (!v.isObject()) {
            problem(key, "must be a mapping");
            return Optional.empty();
        }
        return Optional.of(v.toString());
    }

    /** A list of strings; a single string is not accepted (a common YAML slip). */
    public List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        List<JsonNode> items = array(key);
        for (int i = 0; i < items.size(); i++) {
            JsonNode e = items.get(i);
            if (!e.isValueNode()) {
                problems.add(pathOf(key) + "[" + i + "]", "must be a string");
            } else {
                substitute(key + "[" + i + "]", e.asString()).ifPresent(out::add);
            }
        }
        return List.copyOf(out);
    }

    /** The elements of a list; empty (with a problem) when the value is not a list. */
    private List<JsonNode> array(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            problem(key, "must be a list");
            return List.of();
        }
        List<JsonNode> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(v.get(i));
        }
        return out;
    }

    /** A list of mappings. */
    public List<ConfigNode> list(String key) {
        List<JsonNode> items = array(key);
        List<ConfigNode> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode e = items.get(i);
            String p = pathOf(key) + "[" + i + "]";
            if (!e.isObject()) {
                problems.add(p, "must be a mapping");
            } else {
                out.add(new ConfigNode(e, p, problems, env));
            }
        }
        return out;
    }

    /**
     * The same mapping without {@code key}, reporting to the same problems: for a reader that takes
     * one key itself and hands the rest to another reader whose {@link #allowOnly} does not know it.
     */
    public ConfigNode without(String key) {
        if (!(node instanceof tools.jackson.databind.node.ObjectNode o) || !o.has(key)) {
            return this;
        }
        tools.jackson.databind.node.ObjectNode copy = o.deepCopy();
        copy.remove(key);
        return new ConfigNode(copy, path, problems, env);
    }

    /** A nested mapping; an absent key reads as an empty mapping. */
    public ConfigNode child(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return new ConfigNode(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), pathOf(key), problems, env);
        }
        if (!v.isObject()) {
            problem(key, "must be a mapping");
            return new ConfigNode(tools.jackson.databind.node.JsonNodeFactory.instance.objectNode(), pathOf(key), problems, env);
        }
        return new ConfigNode(v, pathOf(key), problems, env);
    }

    private Optional<String> substitute(String key, String raw) {
        int start = raw.indexOf("${");
        if (start < 0) {
            return Optional.of(raw);
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (start >= 0) {
            int end = raw.indexOf('}', start);
            if (end < 0) {
                problem(key, "has an unclosed ${ in its value");
                return Optional.empty();
            }
            String var = raw.substring(start + 2, end);
            String value = env.get(var);
            if (value == null) {
                problem(key, "refers to environment variable " + var + ", which is not set");
                return Optional.empty();
            }
            out.append(raw, i, start).append(value);
            i = end + 1;
            start = raw.indexOf("${", i);
        }
        out.append(raw.substring(i));
        return Optional.of(out.toString());
    }
}
