package dev.signet.drift;

import dev.signet.store.CorpusEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What an upstream publishes, as field → JSON text ({@code null}: published without it). A field
 * that is not in the map was not looked at (a kind without discovery has no {@code issuer} here),
 * which is different from a field looked at and found absent.
 */
record Observed(Map<String, String> fields) {

    static final String ISSUER = "issuer";
    static final String ISS_PARAMETER = "authorization_response_iss_parameter_supported";
    static final String JWKS_KEYS = "jwks_keys";
    static final String CALLBACK_ISS = "callback_iss";
    static final String TOKEN_FIELDS = "token_response_fields";
    /** The members of the discovery document compared (OIDC Discovery §3, RFC 9207 §3, RP-Initiated Logout §2.1). */
    static final List<String> DISCOVERY = List.of(ISSUER, "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
            "end_session_endpoint", ISS_PARAMETER);
    static final String ABSENT = "null";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    Observed {
        fields = Map.copyOf(fields);
    }

    static Observed none() {
        return new Observed(Map.of());
    }

    /** {@code other}'s fields over these. */
    Observed with(Observed other) {
        Map<String, String> m = new LinkedHashMap<>(fields);
        m.putAll(other.fields);
        return new Observed(m);
    }

    boolean discoveryDiffers(Observed other) {
        return DISCOVERY.stream().anyMatch(f -> fields.containsKey(f) && other.fields.containsKey(f)
                && !fields.get(f).equals(other.fields.get(f)));
    }

    /** The compared members of a discovery document. */
    static Observed discovery(JsonNode doc) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String f : DISCOVERY) {
            JsonNode v = doc.path(f);
            m.put(f, v.isMissingNode() || v.isNull() ? ABSENT : JSON.writeValueAsString(v));
        }
        return new Observed(m);
    }

    /** Each key of a JWK Set as {@code kid:alg} ({@code kty} when it names no alg), sorted. */
    static Observed jwks(JsonNode set) {
        TreeSet<String> keys = new TreeSet<>();
        set.path("keys").forEach(k -> keys.add(k.path("kid").asString("(no kid)") + ":"
                + k.path("alg").asString(k.path("kty").asString("?"))));
        return new Observed(Map.of(JWKS_KEYS, array(keys)));
    }

    /**
     * From the newest recorded exchanges (newest first): the newest callback's {@code iss}, the field
     * names of the newest token response that carried an {@code access_token}, and, when {@code
     * published} is asked for (a baseline), the discovery document and JWK Set it was recorded with.
     */
    static Observed corpus(List<CorpusEntry> newestFirst, boolean published) {
        Observed out = none();
        boolean iss = false;
        boolean token = false;
        boolean doc = !published;
        for (CorpusEntry c : newestFirst) {
            JsonNode e;
            try {
                e = JSON.readTree(c.entry());
            } catch (RuntimeException x) {
                continue; // an unreadable entry tells nothing
            }
            JsonNode cb = e.path("callback");
            if (!iss && cb.path("params").size() > 0) {
                iss = true;
                out = out.with(new Observed(Map.of(CALLBACK_ISS, cb.path("iss").isString() ? JSON.writeValueAsString(cb.path("iss")) : ABSENT)));
            }
            if (!token) {
                for (JsonNode r : e.path("responses")) {
                    if (r.path("endpoint").asString("").equals("token endpoint") && r.path("status").asInt() == 200
                            && r.path("body").has("access_token")) {
                        token = true;
                        out = out.with(new Observed(Map.of(TOKEN_FIELDS, array(new TreeSet<>(r.path("body").propertyNames())))));
                        break;
                    }
                }
            }
            if (!doc && e.path("discovery").isObject()) {
                doc = true;
                out = out.with(discovery(e.path("discovery")));
                if (e.path("jwks").isObject()) {
                    out = out.with(jwks(e.path("jwks")));
                }
            }
            if (iss && token && doc) {
                break;
            }
        }
        return out;
    }

    private static String array(java.util.Collection<String> values) {
        var a = JsonNodeFactory.instance.arrayNode();
        values.forEach(a::add);
        return JSON.writeValueAsString(a);
    }

    /** A value as an operator reads it: a string without quotes, a list comma-separated, {@code (absent)}. */
    static String show(String json) {
        if (json.equals(ABSENT)) {
            return "(absent)";
        }
        try {
            JsonNode v = JSON.readTree(json);
            if (v.isString()) {
                return v.asString();
            }
            if (v.isArray()) {
                List<String> items = new ArrayList<>();
                v.forEach(i -> items.add(i.isString() ? i.asString() : i.toString()));
                return items.isEmpty() ? "(none)" : String.join(", ", items);
            }
            return v.toString();
        } catch (RuntimeException x) {
            return json;
        }
    }

    /** The value as a plain string for a config line (a string's text; anything else as JSON). */
    static Optional<String> plain(String json) {
        if (json.equals(ABSENT)) {
            return Optional.empty();
        }
        try {
            JsonNode v = JSON.readTree(json);
            return Optional.of(v.isString() ? v.asString() : v.toString());
        } catch (RuntimeException x) {
            return Optional.of(json);
        }
    }
}
