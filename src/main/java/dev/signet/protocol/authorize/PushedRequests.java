package dev.signet.protocol.authorize;

import dev.signet.Ids;
import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.protocol.Params;
import dev.signet.store.PendingAuthorization;
import dev.signet.store.PendingStore;
import dev.signet.store.Transactions;
import dev.signet.tenant.Tenant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushed authorization requests (RFC 9126): an authenticated client posts the parameters of its authorization
 * request to {@code /par}, where they are checked as {@code /authorize} would check them (errors as JSON, §2.3) and
 * kept as a pending authorization for {@link #TTL}; the browser then brings only {@code client_id} and the
 * {@code request_uri} naming them (§4), used once. The parameters never travel through the browser, so they cannot be
 * changed or read there. A pending authorization of this kind carries {@link #PUSHED}: the journey's resume step
 * never takes it.
 */
final class PushedRequests {

    /** RFC 9126 §2.2: the request_uri's form; the rest is the pending authorization's id. */
    static final String URN = "urn:ietf:params:oauth:request_uri:";
    /** §2.2: "a short lifetime ... between 5 and 600 seconds"; a minute, as Keycloak's default. */
    static final Duration TTL = Duration.ofSeconds(60);
    /** The parameter that marks a pending authorization as a pushed request (never an authorization request parameter). */
    static final String PUSHED = "pushed_authorization_request";
    /** Client authentication travels with the push (§2.1), never into the authorization request. */
    private static final List<String> CLIENT_AUTH = List.of("client_secret", "client_assertion", "client_assertion_type");

    /** What {@code /par} answers (§2.2). */
    record Pushed(String requestUri, long expiresIn) {}

    /** An authorization request's parameters, and whether they are a pushed request's (§4). */
    record Resolved(Params params, boolean pushed) {}

    private final Transactions transactions;
    private final PendingStore pending;
    private final Ids ids;
    private final Clock clock;

    PushedRequests(Transactions transactions, PendingStore pending, Ids ids, Clock clock) {
        this.transactions = transactions;
        this.pending = pending;
        this.ids = ids;
        this.clock = clock;
    }

    /** §2.1: the authenticated client {@code clientId}'s request, checked, kept; one write transaction. */
    Pushed push(Tenant tenant, String clientId, Params form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (var e : form.values().entrySet()) {
            form.get(e.getKey()); // a repeated parameter is an invalid_request (RFC 6749 §3.1)
            if (!CLIENT_AUTH.contains(e.getKey()) && !e.getValue().isEmpty()) {
                values.put(e.getKey(), e.getValue().getFirst());
            }
        }
        if (values.containsKey("request_uri")) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "request_uri cannot be pushed (RFC 9126 §2.1)");
        }
        // a client_id in the form is the authenticated client's: ClientAuthentication refuses any other (§2.1)
        values.put("client_id", clientId);
        values.remove(PUSHED);
        try {
            AuthorizeRequest.parse(tenant, Params.of(values));
        } catch (ProtocolException e) {
            // §2.3: answered to the client that pushed, never by redirect: the same error without its redirect
            throw ProtocolException.of(e.reason(), e.publicDescription(), e.detail());
        }
        values.put(PUSHED, "1");
        Instant now = clock.instant();
        PendingAuthorization p = new PendingAuthorization(ids.id(), tenant.name(), clientId, values, now, now.plus(TTL));
        transactions.write(tx -> {
            pending.create(tx, p);
            return null;
        });
        return new Pushed(URN + p.id(), TTL.toSeconds());
    }

    /**
     * §4: the parameters of the authorization request: the pushed ones when {@code request_uri} names a pushed request
     * of this client in this tenant, still fresh (then it is used up: one write transaction); else {@code params}
     * themselves (another {@code request_uri} is {@code request_uri_not_supported} when they are read). Other parameters
     * beside a pushed request's {@code request_uri} are ignored: only what the client pushed counts.
     */
    Resolved resolve(Tenant tenant, Params params) {
        Optional<String> uri = params.get("request_uri");
        if (uri.isEmpty() || !uri.get().startsWith(URN)) {
            return new Resolved(withoutReserved(params), false);
        }
        String id = uri.get().substring(URN.length());
        Optional<String> clientId = params.get("client_id");
        Instant now = clock.instant();
        Optional<PendingAuthorization> used = transactions.write(tx -> pending.byId(tx, tenant.name(), id)
                .filter(p -> p.params().containsKey(PUSHED) && clientId.filter(p.clientId()::equals).isPresent())
                .filter(p -> pending.delete(tx, tenant.name(), p.id())));
        Map<String, String> values = new LinkedHashMap<>(used.filter(p -> now.isBefore(p.expiresAt()))
                .orElseThrow(() -> ProtocolException.of(Reason.INVALID_REQUEST_URI,
                        "This sign-in link has expired or was already used. Please start again from the application.",
                        "request_uri unknown, expired, used, or another client's (RFC 9126 §4)"))
                .params());
        values.remove(PUSHED);
        return new Resolved(Params.of(values), true);
    }

    /**
     * The browser's parameters without the ones Signet keeps in a pending authorization for itself ({@link #PUSHED},
     * the device flow's {@link AuthorizeEndpoint#DEVICE_PARAM}): a link with them must not make its sign-in look like a
     * pushed request or a device's approval when it resumes.
     */
    private static Params withoutReserved(Params params) {
        if (!params.values().containsKey(PUSHED) && !params.values().containsKey(AuthorizeEndpoint.DEVICE_PARAM)) {
            return params;
        }
        Map<String, List<String>> kept = new LinkedHashMap<>(params.values());
        kept.remove(PUSHED);
        kept.remove(AuthorizeEndpoint.DEVICE_PARAM);
        return new Params(kept);
    }

    static boolean isPushed(PendingAuthorization p) {
        return p.params().containsKey(PUSHED);
    }
}
