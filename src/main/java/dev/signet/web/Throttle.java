package dev.signet.web;

import dev.signet.Reason;
import dev.signet.SignetException;
import dev.signet.protocol.token.TokenRequest;
import dev.signet.ratelimit.RateLimits;
import dev.signet.tenant.Tenant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP side of the rate limits (README "Rate limits"): finds a request's endpoint group,
 * source address and claimed client id, and asks {@link RateLimits}, which throws
 * {@link dev.signet.RateLimitedException} (429 through {@link ErrorResponses}). Per client id only
 * where the request names a client (/token, /authorize) and only for ids the tenant has.
 */
record Throttle(RateLimits limits) {

    /** The endpoint groups a route is limited in ({@link Route#withLimit}); {@code NONE} is not limited. */
    enum Group {
        NONE(""), TOKEN("token"), AUTHORIZE("authorize"), PAGES("pages"), DEV_FORM("dev_form"), CALLBACK("callback"), DEVICE("device");

        final String label;

        Group(String label) {
            this.label = label;
        }
    }

    /** Before the handler: per address, then per client, then (at /token) the client's back-off. */
    void admit(Group group, Exchange x, String address) {
        if (group == Group.NONE) {
            return;
        }
        limits.admitAddress(group.label, address);
        Optional<String> client = client(group, x);
        if (client.isEmpty()) {
            return;
        }
        limits.admitClient(group.label, client.get());
        if (group == Group.TOKEN) {
            limits.admitClientAuth(client.get(), address);
        }
    }

    /** After the handler at /token: {@code failure} null is a success; {@code invalid_client} a failed authentication. */
    void done(Group group, Exchange x, String address, @Nullable RuntimeException failure) {
        if (group != Group.TOKEN) {
            return;
        }
        Optional<String> client = client(group, x);
        if (client.isEmpty()) {
            return;
        }
        if (failure == null) {
            limits.clientAuthSucceeded(client.get(), address);
        } else if (failure instanceof SignetException s && s.reason() == Reason.INVALID_CLIENT) {
            limits.clientAuthFailed(client.get(), address);
        }
    }

    /** "tenant client-id" for a configured client the request names; empty otherwise. */
    private static Optional<String> client(Group group, Exchange x) {
        Tenant tenant = x.tenantOrNull();
        if (tenant == null) {
            return Optional.empty();
        }
        Optional<String> id;
        try {
            id = switch (group) {
                case TOKEN -> new TokenRequest(x.form(), x.header("Authorization")).claimedClientId();
                case AUTHORIZE -> Optional.ofNullable(x.params().values().get("client_id")).filter(v -> !v.isEmpty()).map(v -> v.getFirst());
                default -> Optional.empty();
            };
        } catch (SignetException unreadable) { // a malformed body names no client; the handler refuses it (request.malformed)
            id = Optional.empty();
        }
        return id.filter(i -> tenant.client(i).isPresent()).map(i -> tenant.name() + " " + i);
    }
}
