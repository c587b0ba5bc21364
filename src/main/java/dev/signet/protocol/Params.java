package dev.signet.protocol;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Request parameters as received (query or form). RFC 6749 §3.1 and §3.2: "Request and response
 * parameters MUST NOT be included more than once", and a parameter sent without a value is
 * treated as omitted.
 */
public record Params(Map<String, List<String>> values) {

    public Params {
        values = Map.copyOf(values);
    }

    public static Params of(Map<String, String> single) {
        return new Params(single.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))));
    }

    /** The value, empty when absent or empty; a repeated parameter is an {@code invalid_request}. */
    public Optional<String> get(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty()) {
            return Optional.empty();
        }
        if (v.size() > 1) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "parameter '" + name + "' is repeated (RFC 6749 §3.1)");
        }
        String s = v.getFirst();
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    /**
     * A non-negative integer parameter of at most {@code max}: ASCII digits only (no sign, no
     * space, no exponent), so that an absurd value is an {@code invalid_request} here and never an
     * overflow in the arithmetic that uses it. Every numeric request parameter is read through this.
     */
    public OptionalLong nonNegative(String name, long max) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return OptionalLong.empty();
        }
        String s = v.get();
        int digits = String.valueOf(max).length();
        if (s.length() > digits || !s.chars().allMatch(c -> c >= '0' && c <= '9') || Long.parseLong(s) > max) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "parameter '" + name + "' must be an integer from 0 to " + max);
        }
        return OptionalLong.of(Long.parseLong(s));
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> ProtocolException.of(Reason.INVALID_REQUEST, "parameter '" + name + "' is required"));
    }

    /** The first value of every parameter, for storing a validated request. */
    public Map<String, String> firstValues() {
        return values.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getFirst()));
    }
}
