package dev.signet.connector;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.tenant.Urls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP calls to upstreams, shared by every connector kind: a deadline on every call, JSON bodies
 * read tolerantly, and failures turned into {@link UpstreamException}s that name the connection and
 * the endpoint (never the response body, which may hold tokens). Bounded retry and a circuit
 * breaker per connection wrap every call ({@link UpstreamCalls}).
 */
public final class UpstreamHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final UpstreamTransport transport;
    private final Clock clock;
    private final UpstreamCalls calls;
    private final UpstreamObserver observer;

    public UpstreamHttp(HttpClient client, Clock clock) {
        this(client, clock, UpstreamObserver.NONE);
    }

    /** {@code observer} sees every attempt (latency, trace span) and may add headers (W3C traceparent). */
    public UpstreamHttp(HttpClient client, Clock clock, UpstreamObserver observer) {
        this(UpstreamTransport.network(client), clock, observer);
    }

    /** Requests go out through {@code transport}: the network, or recorded answers ({@code signet replay}). */
    public UpstreamHttp(UpstreamTransport transport, Clock clock, UpstreamObserver observer) {
        this(transport, clock, observer, UpstreamCalls.FIRST_BACKOFF);
    }

    private UpstreamHttp(UpstreamTransport transport, Clock clock, UpstreamObserver observer, Duration firstBackoff) {
        this.calls = new UpstreamCalls(firstBackoff);
        this.transport = transport;
        this.clock = clock;
        this.observer = observer;
    }

    /**
     * For {@code signet replay}: answers come from {@code transport} (recorded), so a retry is made
     * after a millisecond instead of the production backoff; the same retry and breaker rules apply.
     */
    public static UpstreamHttp replaying(UpstreamTransport transport, Clock clock, UpstreamObserver observer) {
        return new UpstreamHttp(transport, clock, observer, Duration.ofMillis(1));
    }

    /** A safe GET; its retries fit in {@code timeout} (the whole call's budget). */
    public JsonNode getJson(String connection, String what, URI uri, Duration timeout) {
        return getJson(connection, what, uri, timeout, clock.instant().plus(timeout));
    }

    /** A safe GET within the sign-in step's {@code deadline}; each attempt waits at most {@code timeout}. */
    public JsonNode getJson(String connection, String what, URI uri, Duration timeout, Instant deadline) {
        return calls.safe(connection, what, () -> {
            Duration left = left(connection, what, deadline);
            HttpRequest req = buildable(connection, what, () ->
                    HttpRequest.newBuilder(uri).timeout(min(left, timeout)).header("Accept", "application/json").GET().build());
            return send(connection, what, req, true);
        });
    }

    /**
     * A safe GET of a JSON object or array with an access token (RFC 6750 §2.1), for profile APIs
     * such as userinfo or GitHub's {@code /user/emails}, within the step's {@code deadline}.
     */
    public JsonNode getJson(String connection, String what, URI uri, String accessToken, Duration timeout, Instant deadline) {
        return calls.safe(connection, what, () -> {
            Duration left = left(connection, what, deadline);
            HttpRequest req = buildable(connection, what, () -> HttpRequest.newBuilder(uri).timeout(min(left, timeout))
                    .header("Accept", "application/json").header("Authorization", "Bearer " + accessToken).GET().build());
            return send(connection, what, req, false);
        });
    }

    /**
     * POSTs a form (the code exchange: retried only when the request provably never left);
     * {@code basic} is (client id, secret) for RFC 6749 §2.3.1 Basic authentication.
     */
    public JsonNode postForm(String connection, String what, URI uri, Map<String, String> form, Optional<String[]> basic,
            Duration timeout, Instant deadline) {
        String body = Urls.form(form);
        String auth = clientAuth(form, basic);
        return calls.exchange(connection, what, () -> {
            observer.sent(connection, what, auth);
            Duration left = left(connection, what, deadline);
            HttpRequest req = buildable(connection, what, () -> {
                HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                        .timeout(min(left, timeout))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Accept", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
                basic.ifPresent(c -> b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (Urls.encode(c[0]) + ":" + Urls.encode(c[1])).getBytes(StandardCharsets.UTF_8))));
                return b.build();
            });
            return send(connection, what, req, true);
        });
    }

    /**
     * A tolerant reader over an identity payload (ID token claims, userinfo, a profile) that
     * reports the optional fields it ignores for their wrong type to this client's observer.
     */
    public UpstreamFields fields(String connection, String payload, JsonNode node) {
        return UpstreamFields.reporting(connection, payload, node, observer);
    }

    /** {@code connection}'s upstream JWK Set ({@link UpstreamJwks}), each fetched set reported to the observer as {@code jwks}. */
    public com.nimbusds.jose.jwk.source.JWKSource<com.nimbusds.jose.proc.SecurityContext> jwks(String connection, URI jwks, Duration timeout) {
        return UpstreamJwks.source(jwks, transport.jwks(connection, timeout), text -> {
            try {
                observer.answered(connection, "jwks", 200, JSON.readTree(text));
            } catch (JacksonException e) {
                observer.answered(connection, "jwks", 200, null);
            }
        });
    }

    /** The clock deadlines are measured with: the injected one, for connectors that keep time-bound state (a signed client secret). */
    public Clock clock() {
        return clock;
    }

    /** The state of a connection's circuit breaker (CLOSED, OPEN, HALF_OPEN). */
    public String breakerState(String connection) {
        return calls.state(connection);
    }

    private Duration left(String connection, String what, Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new UpstreamException(Reason.UPSTREAM_UNREACHABLE, connection, "The provider took too long to answer.",
                    "deadline passed before calling the " + what, new TimeoutException("sign-in step deadline"));
        }
        return left;
    }

    /**
     * Builds a request from what an upstream sent earlier (an access token from its token response,
     * an endpoint from its discovery document). One the JDK refuses to send (a non-ASCII or control
     * character in the token, a non-http URI) is the upstream's bad answer, never an internal error.
     */
    private static HttpRequest buildable(String connection, String what, Supplier<HttpRequest> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, connection, "The provider's answer could not be used.",
                    // not the JDK's message: it quotes the header value, an access token
                    "cannot call the " + what + ": its endpoint or access token from an earlier answer is not usable in an HTTP request");
        }
    }

    /**
     * How a form POST authenticates Signet's client (RFC 6749 §2.3.1, RFC 7523 §2.2), as the
     * {@code token_endpoint_auth_method} names: {@code client_secret_basic}, {@code client_secret_post},
     * {@code private_key_jwt}, several joined by {@code +} (credentials sent two ways), or {@code none}.
     */
    static String clientAuth(Map<String, String> form, Optional<String[]> basic) {
        java.util.List<String> ways = new java.util.ArrayList<>();
        basic.ifPresent(b -> ways.add("client_secret_basic"));
        if (form.containsKey("client_secret")) {
            ways.add("client_secret_post");
        }
        if (form.containsKey("client_assertion")) {
            ways.add("private_key_jwt");
        }
        return ways.isEmpty() ? "none" : String.join("+", ways);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private JsonNode send(String connection, String what, HttpRequest request, boolean objectOnly) {
        UpstreamObserver.Call call = observer.start(connection, what);
        HttpRequest req = request;
        if (!call.headers().isEmpty()) {
            HttpRequest.Builder b = HttpRequest.newBuilder(request, (n, v) -> true);
            call.headers().forEach(b::header);
            req = b.build();
        }
        UpstreamTransport.Reply res;
        try {
            res = transport.send(connection, what, req);
        } catch (HttpTimeoutException e) {
            call.end(0, e);
            observer.answered(connection, what, 0, null);
            throw new UpstreamException(Reason.UPSTREAM_UNREACHABLE, connection, "The provider took too long to answer.",
                    what + " timed out", e);
        } catch (IOException e) {
            call.end(0, e);
            observer.answered(connection, what, 0, null);
            throw new UpstreamException(Reason.UPSTREAM_UNREACHABLE, connection, "Signet could not reach the provider.",
                    what + " unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            call.end(0, e);
            Thread.currentThread().interrupt();
            throw new UpstreamException(Reason.UPSTREAM_UNREACHABLE, connection, "The sign-in was interrupted.", what + " interrupted", e);
        }
        call.end(res.status(), null);
        if (res.status() >= 500) {
            observer.answered(connection, what, res.status(), null);
            throw UpstreamException.of(Reason.UPSTREAM_UNREACHABLE, connection, "The provider is having trouble right now.",
                    what + " answered HTTP " + res.status());
        }
        JsonNode node;
        try {
            node = JSON.readTree(res.body());
        } catch (JacksonException e) {
            observer.answered(connection, what, res.status(), null);
            throw UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, connection, "The provider's answer could not be read.",
                    what + " answered HTTP " + res.status() + " with a body that is not JSON");
        }
        observer.answered(connection, what, res.status(), node);
        if (res.status() != 200) {
            String error = node != null && node.get("error") != null && node.get("error").isString() ? node.get("error").asString() : "?";
            throw refused(connection, what, res.status(), error);
        }
        if (node == null || !(node.isObject() || (!objectOnly && node.isArray()))) {
            throw UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, connection, "The provider's answer could not be read.",
                    what + " did not answer a JSON object");
        }
        return node;
    }

    /**
     * An upstream answered {@code what} with an error: {@code upstream.client_rejected} when it refused
     * Signet's own client credentials (HTTP 401, or RFC 6749 §5.2 {@code invalid_client} /
     * {@code unauthorized_client}, or GitHub's {@code incorrect_client_credentials}), so the operator
     * knows to check the connection's client id and secret; otherwise {@code upstream.bad_response}.
     * {@code status} is 200 for upstreams that answer a refused exchange with 200 and an error member.
     */
    public static UpstreamException refused(String connection, String what, int status, String error) {
        String detail = what + " answered HTTP " + status + " error=" + CallbackCheck.printable(error);
        if (status == 401 || CLIENT_ERRORS.contains(error)) {
            return UpstreamException.of(Reason.UPSTREAM_CLIENT_REJECTED, connection,
                    "The provider did not accept Signet's credentials for this connection.",
                    detail + ": check the connection's client_id and client_secret (and token_endpoint_auth_method) against the"
                            + " application registered at the provider");
        }
        return UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, connection, "The provider refused the sign-in.", detail);
    }

    private static final java.util.Set<String> CLIENT_ERRORS = java.util.Set.of("invalid_client", "unauthorized_client",
            "incorrect_client_credentials");
}
