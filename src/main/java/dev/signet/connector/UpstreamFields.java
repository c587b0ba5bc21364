package dev.signet.connector;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import java.util.Optional;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * The tolerant reader every connector uses for upstream JSON (token responses, userinfo, GitHub's
 * API): unknown fields are ignored; a required field that is absent or of the wrong type is an
 * {@link UpstreamException} naming the connection, the payload and the field, with its own reason
 * ({@code upstream.field_missing} or {@code upstream.field_invalid}). Field names are safe to show;
 * values never appear in a message. An optional field of the wrong type is read as absent, and a
 * reader made by {@link UpstreamHttp#fields} reports it (connection, payload, field, JSON type).
 *
 * <p>Fields are named either plainly ({@code "email"}) or as an RFC 6901 JSON pointer
 * ({@code "/data/attributes/email"}), as configured for the generic {@code oauth2} kind.
 */
public final class UpstreamFields {

    private final String connection;
    private final String payload;
    private final JsonNode node;
    private final UpstreamObserver observer;

    private UpstreamFields(String connection, String payload, JsonNode node, UpstreamObserver observer) {
        this.connection = connection;
        this.payload = payload;
        this.node = node;
        this.observer = observer;
    }

    /** A reader over {@code node}, which the connection {@code connection} sent as {@code payload} ("user profile"). */
    public static UpstreamFields of(String connection, String payload, JsonNode node) {
        return new UpstreamFields(connection, payload, node, UpstreamObserver.NONE);
    }

    /**
     * A reader that tells {@code observer} what it ignores: an optional field present with the
     * wrong JSON type (an {@code email} that is an object) is still read as absent, but reported
     * (issue 17: tolerant reading says what it ignored). For identity payloads ({@link
     * UpstreamHttp#fields}).
     */
    static UpstreamFields reporting(String connection, String payload, JsonNode node, UpstreamObserver observer) {
        return new UpstreamFields(connection, payload, node, observer);
    }

    private void ignored(String field, JsonNode v) {
        observer.ignored(connection, payload, field, v.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }

    private JsonNode at(String field) {
        JsonNode v = field.startsWith("/") ? node.at(JsonPointer.compile(field)) : node.get(field);
        return v == null || v.isMissingNode() || v.isNull() ? null : v;
    }

    /** A non-empty string; a number is accepted and written in decimal (GitHub's numeric ids). */
    public String id(String field) {
        JsonNode v = at(field);
        if (v == null) {
            throw missing(field);
        }
        if (v.isIntegralNumber()) {
            return v.bigIntegerValue().toString();
        }
        if (v.isString() && !v.asString().isBlank()) {
            return v.asString();
        }
        throw invalid(field, "a string or a whole number");
    }

    public String string(String field) {
        return optString(field).orElseThrow(() -> at(field) == null ? missing(field) : invalid(field, "a non-empty string"));
    }

    /** Absent, null, empty or not a string → empty (optional fields never fail a sign-in). */
    public Optional<String> optString(String field) {
        JsonNode v = at(field);
        if (v != null && !v.isString()) {
            ignored(field, v);
        }
        return v != null && v.isString() && !v.asString().isBlank() ? Optional.of(v.asString()) : Optional.empty();
    }

    /** A boolean, or the strings "true"/"false" that some upstreams send; anything else is false. */
    public boolean flag(String field) {
        JsonNode v = at(field);
        if (v == null) {
            return false;
        }
        if (!v.isBoolean() && !v.isString()) {
            ignored(field, v);
        }
        return v.isBoolean() ? v.booleanValue() : v.isString() && v.asString().equalsIgnoreCase("true");
    }

    /** The field's node when present, for arrays and objects. */
    public Optional<JsonNode> node(String field) {
        return Optional.ofNullable(at(field));
    }

    public UpstreamException missing(String field) {
        return UpstreamException.of(Reason.UPSTREAM_FIELD_MISSING, connection,
                "The provider's " + payload + " lacks the required field '" + field + "'.",
                payload + " of connection '" + connection + "': required field '" + field + "' is missing");
    }

    public UpstreamException invalid(String field, String expected) {
        return UpstreamException.of(Reason.UPSTREAM_FIELD_INVALID, connection,
                "The provider's " + payload + " has an unusable field '" + field + "'.",
                payload + " of connection '" + connection + "': field '" + field + "' is not " + expected);
    }
}
