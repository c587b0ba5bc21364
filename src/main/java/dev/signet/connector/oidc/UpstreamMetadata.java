package dev.signet.connector.oidc;

import dev.signet.connector.UpstreamFields;
import java.net.URI;
import tools.jackson.databind.JsonNode;

/**
 * The part of an upstream's OIDC metadata Signet uses, read tolerantly: unknown fields are ignored,
 * a missing or wrongly typed required field is an error naming it (OIDC Discovery §3).
 */
record UpstreamMetadata(String issuer, URI authorization, URI token, URI jwks, boolean issParameterSupported) {

    static UpstreamMetadata read(String connection, JsonNode doc) {
        UpstreamFields f = UpstreamFields.of(connection, "discovery document", doc);
        return new UpstreamMetadata(f.string("issuer"), uri(f, "authorization_endpoint"), uri(f, "token_endpoint"), uri(f, "jwks_uri"),
                f.flag("authorization_response_iss_parameter_supported"));
    }

    private static URI uri(UpstreamFields f, String field) {
        String s = f.string(field);
        try {
            URI u = URI.create(s);
            if (u.isAbsolute()) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw f.invalid(field, "an absolute URL");
    }
}
