package dev.signet.web;

import tools.jackson.databind.json.JsonMapper;

/** The one JSON writer of the HTTP layer. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
