package dev.signet.connector.oidc;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import java.net.URI;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The part of an upstream's OIDC metadata Signet uses, read tolerantly: unknown fields are ignored,
 * a missing or wrongly typed required field is an error naming it (OIDC Discovery §3).
 */
record UpstreamMetadata(String issuer, URI authorization, URI token, URI jwks, boolean issParameterSupported) {

    static UpstreamMetadata read(String connection, JsonNode doc) {
        return new UpstreamMetadata(text(connection, doc, "issuer"), uri(connection, doc, "authorization_endpoint"),
                uri(connection, doc, "token_endpoint"), uri(connection, doc, "jwks_uri"),
                doc.path("authorization_response_iss_parameter_supported").asBoolean(false));
    }

    static String text(String connection, JsonNode doc, String field) {
        return optText(doc, field).orElseThrow(() -> UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, connection,
                "The provider's configuration is incomplete.", "upstream metadata field '" + field + "' is missing or not a string"));
    }

    static Optional<String> optText(JsonNode doc, String field) {
        JsonNode v = doc.get(field);
        return v != null && v.isString() && !v.asString().isEmpty() ? Optional.of(v.asString()) : Optional.empty();
    }

    private static URI uri(String connection, JsonNode doc, String field) {
        String s = text(connection, doc, field);
        try {
            URI u = URI.create(s);
            if (u.isAbsolute()) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, connection, "The provider's configuration is invalid.",
                "upstream metadata field '" + field + "' is not an absolute URL");
    }
}
