package dev.signet.connector.dev;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dev upstream's "authorization code": the typed-in profile and the nonce, base64url JSON. Not
 * a secret and not signed: the dev connection is unsafe by design and loopback-only by default.
 */
public final class DevCodes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DevCodes() {}

    public static String encode(String name, String email, String nonce) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("sub", "dev|" + email.trim().toLowerCase(Locale.ROOT));
        m.put("email", email.trim());
        m.put("name", name.trim());
        m.put("nonce", nonce);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(m));
    }

    static JsonNode decode(String connection, String code) {
        try {
            JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(code), StandardCharsets.UTF_8));
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IllegalArgumentException | JacksonException e) {
            throw new UpstreamException(Reason.UPSTREAM_BAD_RESPONSE, connection, "The dev sign-in answer could not be read.",
                    "dev code is not base64url JSON", e);
        }
        throw UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, connection, "The dev sign-in answer could not be read.",
                "dev code is not a JSON object");
    }
}
