package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.observe.HttpObserver;
import dev.signet.protocol.Params;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One request and its response, translated between Helidon and Signet's plain values. The only
 * class besides {@link SignetHttp} that touches Helidon types; handlers see strings, maps and URIs.
 */
final class Exchange {

    /** The correlation id header; {@code X-Correlation-Id} carries the same value for older clients. */
    static final HeaderName REQUEST_ID = HeaderNames.create("X-Request-Id");
    static final HeaderName CORRELATION = HeaderNames.create("X-Correlation-Id");
    private static final HeaderName RETRY_AFTER = HeaderNames.create("Retry-After");
    private static final HeaderName FRAME_OPTIONS = HeaderNames.create("X-Frame-Options");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");
    private static final HeaderName CSP = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName X_FORWARDED_HOST = HeaderNames.create("X-Forwarded-Host");
    private static final HeaderName X_FORWARDED_PROTO = HeaderNames.create("X-Forwarded-Proto");
    private static final HeaderName X_FORWARDED_PREFIX = HeaderNames.create("X-Forwarded-Prefix");
    private static final String PAGE_CSP =
            "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private final ServerRequest req;
    private final ServerResponse res;
    private final String correlationId;
    private @Nullable Tenant tenant;
    private @Nullable Params form;
    private @Nullable String traceCookie;

    Exchange(ServerRequest req, ServerResponse res, String correlationId) {
        this.req = req;
        this.res = res;
        this.correlationId = correlationId;
        res.header(REQUEST_ID, correlationId);
        res.header(CORRELATION, correlationId);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.header(REFERRER_POLICY, "no-referrer");
    }

    String correlationId() {
        return correlationId;
    }

    /** The W3C trace context a sign-in journey starting in this request carries to its next steps. */
    void traceCookie(String value) {
        this.traceCookie = value;
    }

    /** A browser sign-in journey starts here: its later requests join this request's trace. */
    void journeyStarts() {
        if (traceCookie != null) {
            setCookie(HttpObserver.TRACE_COOKIE, traceCookie, "/", HttpObserver.TRACE_COOKIE_TTL);
        }
    }

    /** Binds the tenant (on its domain) the request's Host resolved to; done once, before any handler runs. */
    void bind(Tenant t) {
        this.tenant = t;
    }

    /** The tenant on the request's domain; only for handlers behind Host resolution. */
    Tenant tenant() {
        if (tenant == null) {
            throw new IllegalStateException("no tenant bound: route registered without Host resolution");
        }
        return tenant;
    }

    @Nullable Tenant tenantOrNull() {
        return tenant;
    }

    /** What the request says about where it was sent, for {@code Tenants.resolve}. */
    Tenants.Incoming incoming() {
        var h = req.headers();
        String peer = req.remotePeer().address() instanceof java.net.InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : ""; // the IP literal: no reverse DNS lookup
        return new Tenants.Incoming(peer, h.first(HeaderNames.HOST), h.first(X_FORWARDED_HOST),
                h.first(X_FORWARDED_PROTO), h.first(X_FORWARDED_PREFIX));
    }

    String method() {
        return req.prologue().method().text();
    }

    String pathParam(String name) {
        return req.path().pathParameters().get(name);
    }

    /** Query parameters, decoded, every value kept (so repeated parameters can be detected). */
    Params query() {
        return new Params(req.query().toMap());
    }

    /**
     * An {@code application/x-www-form-urlencoded} body; empty when the body is absent or of another
     * type. Read once and kept: Helidon lets a request entity be read only once.
     */
    Params form() {
        if (form == null) {
            form = !isForm() || !req.content().hasEntity() ? new Params(Map.of()) : new Params(parseForm(req.content().as(String.class)));
        }
        return form;
    }

    boolean isForm() {
        return req.headers().first(HeaderNames.CONTENT_TYPE)
                .map(t -> t.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")).orElse(false);
    }

    /** Query for GET, form body for POST (OIDC Core §3.1.2.1 allows both at /authorize). */
    Params params() {
        return method().equals("POST") ? form() : query();
    }

    Optional<String> header(String name) {
        return req.headers().first(HeaderNames.create(name));
    }

    Optional<String> cookie(String name) {
        var cookies = req.headers().cookies();
        return cookies.contains(name) ? Optional.of(cookies.get(name)) : Optional.empty();
    }

    static Map<String, List<String>> parseForm(String body) {
        Map<String, List<String>> out = new HashMap<>();
        if (body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    /** One form-urlencoded name or value; a malformed escape ({@code %zz}, a lone {@code %}) is the client's {@code invalid_request}. */
    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.of(Reason.INVALID_REQUEST, "the form body has a malformed percent-encoding (RFC 3986 §2.1)");
        }
    }

    // ---- responses

    /**
     * A host-only cookie (no {@code Domain}: each domain has its own). {@code path} is relative to the
     * domain's base, so behind a reverse-proxy prefix it becomes e.g. {@code /auth/callback}.
     */
    void setCookie(String name, String value, String path, Duration maxAge) {
        String prefix = tenant == null ? "" : tenant.domain().pathPrefix();
        String full = prefix.isEmpty() ? path : path.equals("/") ? prefix : prefix + path;
        StringBuilder sb = new StringBuilder(name).append('=').append(value).append("; Path=").append(full)
                .append("; Max-Age=").append(maxAge.toSeconds()).append("; HttpOnly; SameSite=Lax");
        if (tenant != null && tenant.domain().secure()) {
            sb.append("; Secure");
        }
        res.headers().add(HeaderNames.SET_COOKIE, sb.toString());
    }

    void clearCookie(String name, String path) {
        setCookie(name, "", path, Duration.ZERO);
    }

    void redirect(URI location) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.LOCATION, location.toString());
        res.status(Status.FOUND_302).send();
    }

    void html(int status, String body) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(FRAME_OPTIONS, "DENY");
        res.header(CSP, PAGE_CSP);
        res.status(status).send(body.getBytes(StandardCharsets.UTF_8));
    }

    /** JSON; {@code Cache-Control: no-store} unless {@code cacheable} (RFC 6749 §5.1 for token responses). */
    void json(int status, String body, boolean cacheable) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (cacheable) {
            res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        } else {
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.header(HeaderNames.PRAGMA, "no-cache");
        }
        res.status(status).send(body.getBytes(StandardCharsets.UTF_8));
    }

    /** An immutable, content-hashed static file. */
    void asset(String contentType, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
        res.status(200).send(body);
    }

    void text(int status, String body) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.status(status).send(body);
    }

    void header(String name, String value) {
        res.header(HeaderNames.create(name), value);
    }

    void retryAfter(int seconds) {
        res.header(RETRY_AFTER, String.valueOf(seconds));
    }

    boolean sent() {
        return res.isSent();
    }

    static Map<String, String> single(Params p) {
        return new LinkedHashMap<>(p.firstValues());
    }
}
