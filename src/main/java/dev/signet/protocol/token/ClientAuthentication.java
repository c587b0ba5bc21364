package dev.signet.protocol.token;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.config.ClientAuth;
import dev.signet.config.ClientSettings;
import dev.signet.tenant.Tenant;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Client authentication (RFC 6749 §2.3.1, OIDC Core §9) at every endpoint a client calls with its
 * credentials: token, introspection, revocation, device authorization. Methods: {@code
 * client_secret_basic}, {@code client_secret_post}, {@code private_key_jwt} (RFC 7523 §2.2, checked
 * by {@link ClientAssertions}) and {@code none} for public clients (which must then prove possession
 * with PKCE, or are limited to what a public client may do). Using two methods at once is an
 * {@code invalid_request} (RFC 6749 §2.3); a client that registered a method
 * ({@code token_endpoint_auth_method}) may use only that one.
 */
public final class ClientAuthentication {

    /** RFC 7523 §2.2. */
    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final ClientAssertions assertions;

    public ClientAuthentication(ClientAssertions assertions) {
        this.assertions = assertions;
    }

    /**
     * @param endpoint the URL this request was sent to: besides the issuer and the token endpoint, the
     *     audience a client assertion may name (RFC 7523 §3 item 3)
     */
    public AuthenticatedClient authenticate(Tenant tenant, TokenRequest request, URI endpoint) {
        Optional<String[]> basic = request.authorization().flatMap(ClientAuthentication::basic);
        Optional<String> formId = request.form().get("client_id");
        Optional<String> formSecret = request.form().get("client_secret");
        Optional<String> assertionType = request.form().get("client_assertion_type");
        Optional<String> assertion = request.form().get("client_assertion");
        if (request.authorization().isPresent() && basic.isEmpty() && request.authorization().get().regionMatches(true, 0, "basic ", 0, 6)) {
            throw invalid("malformed Basic authorization header");
        }
        boolean jwt = assertionType.isPresent() || assertion.isPresent();
        if ((basic.isPresent() ? 1 : 0) + (formSecret.isPresent() ? 1 : 0) + (jwt ? 1 : 0) > 1) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "use one client authentication method, not two (RFC 6749 §2.3)");
        }
        if (jwt) {
            if (assertionType.isEmpty() || assertion.isEmpty()) {
                throw ProtocolException.of(Reason.INVALID_REQUEST, "client_assertion and client_assertion_type go together (RFC 7521 §4.2)");
            }
            if (!JWT_BEARER.equals(assertionType.get())) {
                throw invalid("client_assertion_type must be " + JWT_BEARER + " (RFC 7523 §2.2)");
            }
            return new AuthenticatedClient(assertions.verify(tenant, assertion.get(), formId, endpoint));
        }
        String id;
        Optional<String> secret;
        String method;
        if (basic.isPresent()) {
            id = basic.get()[0];
            secret = Optional.of(basic.get()[1]);
            method = ClientAuth.BASIC;
            if (formId.isPresent() && !formId.get().equals(id)) {
                throw invalid("client_id does not match the authenticated client");
            }
        } else {
            id = formId.orElseThrow(() -> invalid("client authentication is required"));
            secret = formSecret;
            method = secret.isPresent() ? ClientAuth.POST : ClientAuth.NONE;
        }
        ClientSettings client = tenant.client(id).orElseThrow(() -> invalid("unknown client"));
        if (!client.auth().accepts(method, client.secretHash().isPresent())) {
            throw invalid(client.isPublic() && secret.isPresent() ? "a public client has no secret"
                    : "this client authenticates with " + client.auth().method().orElse(client.isPublic() ? ClientAuth.NONE
                            : ClientAuth.BASIC + " or " + ClientAuth.POST) + ", not " + method + " (token_endpoint_auth_method)");
        }
        if (client.isPublic()) {
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

    static ProtocolException invalid(String why) {
        return ProtocolException.of(Reason.INVALID_CLIENT, "client authentication failed", why);
    }
}
