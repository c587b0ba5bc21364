package dev.signet.cli;

import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON object per output line ({@code signet sessions list}, {@code signet audit}), written by
 * Jackson like every other JSON Signet emits: a value with a quote, a backslash or a control
 * character stays one valid string, never breaks the line or adds members.
 */
final class JsonLine {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JsonLine() {}

    /** {@code members} in their iteration order; values are strings, numbers, booleans or {@link JsonNode}s. */
    static String of(Map<String, ?> members) {
        return JSON.writeValueAsString(members);
    }

    /** A stored JSON document as a nested value; a document that does not parse is kept as a string. */
    static Object embedded(String json) {
        try {
            return JSON.readTree(json);
        } catch (JacksonException e) {
            return json;
        }
    }
}
