package dev.signet.protocol.token;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.config.ClientSettings;
import dev.signet.tenant.Tenant;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1, OIDC Core §9):
 * {@code client_secret_basic}, {@code client_secret_post}, and {@code none} for public clients
 * (which must then prove possession with PKCE). Using two methods at once is an error.
 */
final class ClientAuthentication {

    private ClientAuthentication() {}

    static AuthenticatedClient authenticate(Tenant tenant, TokenRequest request) {
        Optional<String[]> basic = request.authorization().flatMap(ClientAuthentication::basic);
        Optional<String> formId = request.form().get("client_id");
        Optional<String> formSecret = request.form().get("client_secret");
        if (request.authorization().isPresent() && basic.isEmpty() && request.authorization().get().regionMatches(true, 0, "basic ", 0, 6)) {
            throw invalid("malformed Basic authorization header");
        }
        if (basic.isPresent() && formSecret.isPresent()) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "use one client authentication method, not two (RFC 6749 §2.3)");
        }
        String id;
        Optional<String> secret;
        if (basic.isPresent()) {
            id = basic.get()[0];
            secret = Optional.of(basic.get()[1]);
            if (formId.isPresent() && !formId.get().equals(id)) {
                throw invalid("client_id does not match the authenticated client");
            }
        } else {
            id = formId.orElseThrow(() -> invalid("client authentication is required"));
            secret = formSecret;
        }
        ClientSettings client = tenant.client(id).orElseThrow(() -> invalid("unknown client"));
        if (client.isPublic()) {
            if (secret.isPresent()) {
                throw invalid("a public client has no secret");
            }
            return new AuthenticatedClient(client);
        }
        if (secret.isEmpty() || !Ids.sameHash(Ids.hash(secret.get()), client.secretHash().orElseThrow())) {
            throw invalid("client authentication failed");
        }
        return new AuthenticatedClient(client);
    }

    /** RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64. */
    static Optional<String[]> basic(String header) {
        if (!header.regionMatches(true, 0, "basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ProtocolException invalid(String why) {
        return ProtocolException.of(Reason.INVALID_CLIENT, "client authentication failed", why);
    }
}
