package dev.signet.web;

import dev.signet.ProtocolException;
import dev.signet.Reason;
import dev.signet.observe.HttpObserver;
import dev.signet.protocol.Params;
import dev.signet.tenant.Domain;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import dev.signet.web.pages.FormPostView;
import dev.signet.web.pages.Pages;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
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
    private static final String PAGE_CSP = pageCsp("'self'");
    // Every response's fixed headers, created (and encoded) once, not per request.
    private static final Header NOSNIFF = HeaderValues.createCached(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    private static final Header NO_REFERRER = HeaderValues.createCached(REFERRER_POLICY, "no-referrer");
    private static final Header JSON = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json");
    private static final Header NO_STORE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store");
    private static final Header NO_CACHE = HeaderValues.createCached(HeaderNames.PRAGMA, "no-cache");
    private static final Header ANY_ORIGIN = HeaderValues.createCached(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    /** Published documents (metadata, JWKS): keys.publish_ahead is at least this (RFC 9111 §5.2.2.9 {@code max-age}). */
    private static final Header PUBLIC = HeaderValues.createCached(HeaderNames.CACHE_CONTROL,
            "public, max-age=" + dev.signet.config.KeySettings.JWKS_MAX_AGE.toSeconds());
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.\\-]+|\\[[0-9A-Fa-f:.]+\\]");

    private final ServerRequest req;
    private final ServerResponse res;
    private final String correlationId;
    private @Nullable Tenant tenant;
    private @Nullable Params form;
    private @Nullable String body;
    private @Nullable String traceCookie;

    Exchange(ServerRequest req, ServerResponse res, String correlationId) {
        this.req = req;
        this.res = res;
        this.correlationId = correlationId;
        res.header(REQUEST_ID, correlationId);
        res.header(CORRELATION, correlationId);
        res.header(NOSNIFF);
        res.header(NO_REFERRER);
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

    /** What the request says about where it was sent, for {@code Tenants.resolve}; {@code peer} is the IP literal. */
    static Tenants.Incoming incoming(ServerRequest req, String peer) {
        var h = req.headers();
        return new Tenants.Incoming(peer, h.first(HeaderNames.HOST), h.first(X_FORWARDED_HOST),
                h.first(X_FORWARDED_PROTO), h.first(X_FORWARDED_PREFIX));
    }

    String method() {
        return req.prologue().method().text();
    }

    /** The request path as sent (still percent-encoded), without the query. */
    String rawPath() {
        return req.prologue().uriPath().rawPath();
    }

    String pathParam(String name) {
        return req.path().pathParameters().get(name);
    }

    /**
     * Query parameters, decoded, every value kept (so repeated parameters can be detected). Helidon
     * refuses a request line with malformed percent-encoding before routing ({@link SignetHttp}
     * answers that through the error model too); the guard here keeps the rule if it ever stops.
     */
    Params query() {
        try {
            return new Params(req.query().toMap());
        } catch (IllegalArgumentException e) {
            throw malformed("query string");
        }
    }

    private static ProtocolException malformed(String where) {
        return ProtocolException.of(Reason.REQUEST_MALFORMED, "The request is malformed: its " + where
                + " is not valid percent-encoding (RFC 3986 §2.1).", "malformed percent-encoding in the " + where);
    }

    /**
     * An {@code application/x-www-form-urlencoded} body; empty when the body is absent or of another
     * type. Read once and kept: Helidon lets a request entity be read only once.
     */
    Params form() {
        if (form == null) {
            if (body == null) {
                // Bytes, not String: the body is ASCII by definition and its charset parameter (whatever it names) is ignored.
                // Kept before parsing, so a malformed body is refused the same way however often it is asked for.
                body = !isForm() || !req.content().hasEntity() ? "" : new String(req.content().as(byte[].class), StandardCharsets.UTF_8);
            }
            form = body.isEmpty() ? new Params(Map.of()) : new Params(parseForm(body));
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

    /**
     * For the forms of Signet's own pages: a browser that says the request comes from another site
     * ({@code Sec-Fetch-Site}, Fetch Metadata) is refused, so no other site can post a form into a
     * Signet page and have its text shown there. {@code Origin} is not used: with Signet's
     * {@code Referrer-Policy: no-referrer} a browser sends {@code Origin: null} even for its own forms.
     * Clients that send no {@code Sec-Fetch-Site} (not a current browser) are not refused.
     */
    void requireSameOrigin() {
        Optional<String> site = header("Sec-Fetch-Site");
        if (site.isPresent() && !site.get().equals("same-origin")) {
            throw ProtocolException.of(Reason.CROSS_SITE_REQUEST, "This form can only be sent from this sign-in page.",
                    "Sec-Fetch-Site is not same-origin on a page form");
        }
    }

    Optional<String> header(String name) {
        return req.headers().first(HeaderNames.create(name));
    }

    /** The cookie {@code name} under its name on this request's domain ({@link Cookies}). */
    Optional<String> cookie(String name) {
        return Optional.ofNullable(cookie(req, tenant == null ? null : tenant.domain(), name));
    }

    static @Nullable String cookie(ServerRequest req, @Nullable Domain domain, String name) {
        var cookies = req.headers().cookies();
        String n = Cookies.name(domain, name);
        return cookies.contains(n) ? cookies.get(n) : null;
    }

    /**
     * The one decoder of {@code application/x-www-form-urlencoded} bodies (WHATWG URL §5.1). A body
     * that is not valid percent-encoding is the client's error: {@code request.malformed}, a 400
     * with {@code invalid_request}, never a 500.
     */
    static Map<String, List<String>> parseForm(String body) {
        Map<String, List<String>> out = new HashMap<>();
        if (body.isEmpty()) {
            return out;
        }
        try {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        } catch (IllegalArgumentException e) {
            throw malformed("form body");
        }
        return out;
    }

    // ---- responses

    /**
     * A host-only cookie (no {@code Domain}: each domain has its own), named and scoped by {@link
     * Cookies}. {@code path} is relative to the domain's base, so behind a reverse-proxy prefix it
     * becomes e.g. {@code /auth/callback}.
     */
    void setCookie(String name, String value, String path, Duration maxAge) {
        Domain domain = tenant == null ? null : tenant.domain();
        StringBuilder sb = new StringBuilder(Cookies.name(domain, name)).append('=').append(value).append("; Path=")
                .append(Cookies.path(domain, path)).append("; Max-Age=").append(maxAge.toSeconds()).append("; HttpOnly; SameSite=Lax");
        if (Cookies.secure(domain)) {
            sb.append("; Secure");
        }
        res.headers().add(HeaderNames.SET_COOKIE, sb.toString());
    }

    /**
     * A cookie a cross-site top-level POST still carries ({@code SameSite=None}, which browsers take
     * only with {@code Secure}; they accept {@code Secure} on {@code http://localhost} too). Only for
     * the form_post state binding ({@code broker.Broker#STATE_COOKIE_CROSS_SITE}).
     */
    void setCrossSiteCookie(String name, String value, String path, Duration maxAge) {
        // Name and path by the one cookie rule (Cookies: __Host-/__Secure- on https), so it is read back
        // under the name it was set with; Secure always, as SameSite=None requires (browsers accept it on
        // http://localhost).
        Domain domain = tenant == null ? null : tenant.domain();
        res.headers().add(HeaderNames.SET_COOKIE, Cookies.name(domain, name) + "=" + value + "; Path=" + Cookies.path(domain, path)
                + "; Max-Age=" + maxAge.toSeconds() + "; HttpOnly; SameSite=None; Secure");
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
        html(status, body, PAGE_CSP);
    }

    /**
     * A page whose form may, through the redirects that answer its POST, lead the browser to these
     * other origins besides its own. CSP3 {@code form-action} governs those redirects too (Chromium
     * blocks the navigation where it leaves the list), so the page lists each target's exact origin;
     * a target that is not a plain http(s) origin is left out (fail closed: the browser stops there).
     */
    void html(int status, String body, List<URI> formTargets) {
        StringBuilder sources = new StringBuilder("'self'");
        formTargets.stream().map(Exchange::origin).flatMap(Optional::stream).distinct().forEach(o -> sources.append(' ').append(o));
        html(status, body, pageCsp(sources.toString()));
    }

    /**
     * OAuth 2.0 Form Post Response Mode §2: the page that posts the authorization response to the client's redirect
     * URI {@code action} (an http(s) URI, checked when the request was parsed). Its CSP allows exactly its one script
     * (by hash) and a form to exactly that origin.
     */
    void formPost(URI action, Map<String, String> fields, Pages pages) {
        String body = pages.formPost(new FormPostView(action.toString(),
                fields.entrySet().stream().map(e -> new FormPostView.Field(e.getKey(), e.getValue())).toList()));
        html(200, body, "default-src 'none'; script-src " + FORM_POST_SCRIPT + "; form-action " + origin(action).orElse("'none'")
                + "; frame-ancestors 'none'; base-uri 'none'");
    }

    private static final String FORM_POST_SCRIPT = "'sha256-" + java.util.Base64.getEncoder().encodeToString(
            sha256(FormPostView.SCRIPT.getBytes(StandardCharsets.UTF_8))) + "'";

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }

    private void html(int status, String body, String csp) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        res.header(FRAME_OPTIONS, "DENY");
        res.header(CSP, csp);
        send(status, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String pageCsp(String formAction) {
        return "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https:; form-action " + formAction
                + "; frame-ancestors 'none'; base-uri 'none'";
    }

    /** A CSP source expression for exactly the URI's origin (CSP3 §2.3.1), or empty when it is not plain http(s). */
    static Optional<String> origin(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        String host = u.getHost();
        if (!(scheme.equals("http") || scheme.equals("https")) || host == null || !HOST.matcher(host).matches()) {
            return Optional.empty();
        }
        return Optional.of(scheme + "://" + host.toLowerCase(java.util.Locale.ROOT) + (u.getPort() < 0 ? "" : ":" + u.getPort()));
    }

    /** JSON; {@code Cache-Control: no-store} unless {@code cacheable} (RFC 6749 §5.1 for token responses). */
    void json(int status, String body, boolean cacheable) {
        res.header(JSON);
        if (cacheable) {
            res.header(PUBLIC);
        } else {
            res.header(NO_STORE);
            res.header(NO_CACHE);
        }
        send(status, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A published JSON document (metadata, JWKS), already serialised, with its strong entity tag
     * (RFC 9110 §8.8.3) and {@code Cache-Control: public, max-age} (RFC 9111 §5.2.2.9). A request whose
     * {@code If-None-Match} names the tag gets a 304 without content (RFC 9110 §13.1.2, §15.4.5: with
     * the {@code ETag} and {@code Cache-Control} the 200 would carry).
     */
    void document(byte[] body, String etag) {
        res.header(PUBLIC);
        res.header(HeaderNames.ETAG, etag);
        if (noneMatchNames(req.headers().first(HeaderNames.IF_NONE_MATCH), etag)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.header(JSON);
        send(200, body);
    }

    /**
     * RFC 9110 §13.1.2: {@code If-None-Match} is false (the resource "matches") when it is {@code *}
     * or one of its listed entity tags equals {@code etag} by the weak comparison (§8.8.3.2: a
     * {@code W/} prefix ignored).
     */
    static boolean noneMatchNames(Optional<String> ifNoneMatch, String etag) {
        if (ifNoneMatch.isEmpty()) {
            return false;
        }
        for (String tag : ifNoneMatch.get().split(",")) {
            String t = tag.strip();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** An immutable, content-hashed static file. */
    void asset(String contentType, byte[] body) {
        res.header(HeaderNames.CONTENT_TYPE, contentType);
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=31536000, immutable");
        send(200, body);
    }

    /** An answer without content ({@code Content-Length: 0}). */
    void empty(int status) {
        res.status(status).send();
    }

    void text(int status, String body) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        send(status, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * RFC 9110 §9.3.2: an answer to HEAD (every GET route takes it, {@code SignetHttp}) carries no
     * content. The HTTP library writes whatever it is given, and content after a HEAD answer would be
     * read as the start of the next response on the connection; left to itself it also announces
     * {@code Content-Length: 0}, which §8.6 forbids unless GET would send nothing.
     */
    private void send(int status, byte[] body) {
        if (io.helidon.http.Method.HEAD.equals(req.prologue().method())) {
            // RFC 9110 §8.6: a Content-Length in an answer to HEAD is the length GET would have sent
            res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(body.length));
            res.status(status).send();
        } else {
            res.status(status).send(body);
        }
    }

    void header(String name, String value) {
        res.header(HeaderNames.create(name), value);
    }

    /** {@code Access-Control-Allow-Origin: *} ({@link Cors}: public documents), a header created once. */
    void anyOrigin() {
        res.header(ANY_ORIGIN);
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
