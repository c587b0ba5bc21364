package dev.signet.web;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.ConfigException;
import dev.signet.InternalException;
import dev.signet.ProtocolException;
import dev.signet.RateLimitedException;
import dev.signet.Reason;
import dev.signet.SignetException;
import dev.signet.UnavailableException;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.protocol.authorize.AuthorizeEndpoint;
import dev.signet.tenant.Tenant;
import dev.signet.web.pages.ErrorView;
import dev.signet.web.pages.Pages;
import dev.signet.observe.RequestContext;
import dev.signet.web.pages.Look;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * THE error mapper: every failure reaches the client through {@link #write}, which switches over
 * the sealed error model (the compiler checks every family is handled). Users see the reason code
 * and the correlation id, which the log line carries too; never a stack trace. A store failure is
 * a 503 with {@code Retry-After} and never touches a cookie (postmortem 001); a rate limit is a 429
 * with {@code Retry-After}.
 */
final class ErrorResponses {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);
    static final int RETRY_AFTER_SECONDS = 5;

    private final Pages pages;
    /** The surfaces of the mounted routes, for requests refused before routing. */
    private final RouteSurfaces surfaces;

    ErrorResponses(Pages pages, RouteSurfaces surfaces) {
        this.pages = pages;
        this.surfaces = surfaces;
    }

    /** {@code tenant} is null when the request's Host resolved to none (or the route is Host-agnostic). */
    void write(Exchange x, Surface surface, @Nullable Tenant tenant, RuntimeException failure) {
        SignetException e = failure instanceof SignetException s ? s : new InternalException("unexpected " + failure.getClass().getName(), failure);
        log(x, e);
        switch (e) {
            case ProtocolException p -> protocol(x, surface, tenant, p);
            case UpstreamException u -> page(x, u.reason().status(), "The sign-in could not be completed", u.publicDescription(), u,
                    connectionName(tenant, u.connection()), u.retryUrl().orElse(null));
            case UnavailableException u -> {
                x.retryAfter(RETRY_AFTER_SECONDS);
                if (surface == Surface.PAGE) {
                    page(x, 503, "Please try again", u.publicDescription(), u, null, "");
                } else if (surface == Surface.TEXT) {
                    text(x, 503, u.reason(), "the service is temporarily unavailable; retry");
                } else {
                    oauthJson(x, 503, "temporarily_unavailable", "the service is temporarily unavailable; retry");
                }
            }
            case RateLimitedException l -> {
                x.retryAfter((int) Math.min(Integer.MAX_VALUE, l.retryAfter().toSeconds())); // RFC 6585 §4
                if (surface == Surface.PAGE) {
                    page(x, 429, "Too many attempts", l.publicDescription() + " (about " + l.retryAfter().toSeconds() + " s)", l, null, "");
                } else if (surface == Surface.TEXT) {
                    text(x, 429, l.reason(), "too many requests; retry after " + l.retryAfter().toSeconds() + " s");
                } else {
                    oauthJson(x, 429, l.reason().oauthError(), "too many requests; retry after " + l.retryAfter().toSeconds() + " s");
                }
            }
            case ConfigException c -> serverError(x, surface, c);
            case InternalException i -> serverError(x, surface, i);
        }
    }

    /**
     * Helidon's refusals before routing, each through {@link #refused} with its own reason: a request
     * that cannot be read, content or a request line larger than Signet reads, a protocol
     * version other than HTTP/1.1. {@code count} counts each refusal's reason (the error counters).
     */
    DirectHandlers directHandlers(Consumer<Reason> count, Supplier<String> correlationIds) {
        DirectHandler handler = (req, event, status, headers, message) -> {
            Reason r = refusal(event, status.code());
            count.accept(r);
            return refused(req, r, "HTTP layer's " + status.code() + (message == null || message.isBlank() ? "" : " (" + message + ")"),
                    correlationIds.get());
        };
        return DirectHandlers.builder()
                .addHandler(DirectHandler.EventType.BAD_REQUEST, handler)
                .addHandler(DirectHandler.EventType.PAYLOAD_TOO_LARGE, handler)
                .addHandler(DirectHandler.EventType.HTTP_VERSION_NOT_SUPPORTED, handler)
                .build();
    }

    /** The reason for one of Helidon's refusals, by its event and the status it chose. */
    static Reason refusal(DirectHandler.EventType event, int status) {
        if (event == DirectHandler.EventType.HTTP_VERSION_NOT_SUPPORTED || status == 505) {
            return Reason.HTTP_VERSION_NOT_SUPPORTED;
        }
        if (event == DirectHandler.EventType.PAYLOAD_TOO_LARGE || status == 413) {
            return Reason.REQUEST_TOO_LARGE;
        }
        // Helidon 4.5 answers a header section larger than it reads as a plain 400 (no 431): request.malformed
        return status == 414 ? Reason.REQUEST_URI_TOO_LONG : Reason.REQUEST_MALFORMED;
    }

    private static String description(Reason r) {
        return switch (r) {
            case REQUEST_TOO_LARGE -> "The request's content is larger than this server reads (" + SignetHttp.MAX_CONTENT_BYTES / 1024 + " KiB).";
            case REQUEST_URI_TOO_LONG -> "The request's address is longer than this server reads.";
            case HTTP_VERSION_NOT_SUPPORTED -> "This server speaks HTTP/1.1 only; send the request as HTTP/1.1.";
            default -> "The request is malformed and cannot be read (for example, invalid percent-encoding).";
        };
    }

    /**
     * A request Helidon could not parse (malformed percent-encoding in the request line, a malformed
     * header) is refused before any route or {@link Exchange} exists; it is answered here like every
     * other client error: its reason code ({@code request.malformed}, {@code request.too_large}, …) with a correlation id, the error page (or OAuth
     * JSON at the paths of the routes whose declared surface is not a page: /token, /userinfo, …,
     * see {@link RouteSurfaces}), one WARN line, no stack trace.
     */
    DirectHandler.TransportResponse refused(DirectHandler.TransportRequest req, Reason r, String why, String correlationId) {
        String description = description(r);
        try (RequestContext ignored = RequestContext.open(correlationId, "")) {
            LOG.warn("request refused", kv("reason", r.code()), kv("detail", "refused before routing: " + why));
        }
        Surface surface = surfaces.of(req.path(), req.headers().first(HeaderNames.ACCEPT));
        String type;
        byte[] body;
        if (surface == Surface.TEXT) {
            type = "text/plain; charset=utf-8";
            body = (r.code() + ": " + description + "\n").getBytes(StandardCharsets.UTF_8);
        } else if (surface != Surface.PAGE) {
            type = "application/json";
            // the management listener's and the metadata's JSON name Signet's reason code, as their other errors do
            String error = surface == Surface.MANAGEMENT || surface == Surface.METADATA ? r.code() : r.oauthError();
            body = Json.write(Map.of("error", error, "error_description", description)).getBytes(StandardCharsets.UTF_8);
        } else {
            type = "text/html; charset=utf-8";
            body = pages.error(new ErrorView("This request cannot be completed", description, r.code(), correlationId, null, null,
                    Look.PLAIN)).getBytes(StandardCharsets.UTF_8);
        }
        return DirectHandler.TransportResponse.builder().status(Status.create(r.status()))
                .header(HeaderNames.CONTENT_TYPE, type)
                .header(HeaderNames.CACHE_CONTROL, "no-store")
                .header(Exchange.REQUEST_ID, correlationId)
                .header(Exchange.CORRELATION, correlationId)
                .header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff")
                .entity(body)
                .keepAlive(false)
                .build();
    }

    private static String connectionName(@Nullable Tenant tenant, String id) {
        return tenant == null ? id : tenant.connection(id).map(ConnectionSettings::name).orElse(id);
    }

    private void protocol(Exchange x, Surface surface, @Nullable Tenant tenant, ProtocolException p) {
        Reason r = p.reason();
        switch (surface) {
            case MANAGEMENT, METADATA -> oauthJson(x, r.status(), r.code(), p.publicDescription());
            case TEXT -> text(x, r.status(), r, p.publicDescription());
            case TOKEN -> {
                if (r == Reason.INVALID_CLIENT) {
                    x.header("WWW-Authenticate", "Basic realm=\"signet\""); // RFC 6749 §5.2
                }
                oauthJson(x, r.status(), r.oauthError(), p.publicDescription());
            }
            case USERINFO -> {
                // RFC 6750 §3: the error travels in WWW-Authenticate; none when no credentials were sent (§3.1)
                x.header("WWW-Authenticate", r == Reason.BEARER_MISSING ? "Bearer realm=\"signet\""
                        : "Bearer realm=\"signet\", error=\"" + r.oauthError() + "\", error_description=\""
                                + challengeText(p.publicDescription()) + "\"");
                oauthJson(x, r.status(), r.oauthError(), p.publicDescription());
            }
            case PAGE -> {
                // Ad acta re-check (node-oidc-provider): redirect only to a URI registered for the client.
                var to = p.redirect().filter(d -> r.mayRedirect() && tenant != null
                        && tenant.client(d.clientId()).map(c -> c.hasRedirectUri(d.redirectUri().toString())).orElse(false));
                if (to.isPresent() && tenant != null && to.get().formPost()) {
                    x.formPost(to.get().redirectUri(), AuthorizeEndpoint.errorResponse(tenant, to.get(), r, p.publicDescription()), pages);
                } else if (to.isPresent() && tenant != null) {
                    x.redirect(AuthorizeEndpoint.errorRedirect(tenant, to.get(), r, p.publicDescription()));
                } else {
                    page(x, r.status(), r.code().startsWith("logout.") ? "This sign-out request cannot be completed"
                            : "This sign-in request cannot be completed", p.publicDescription(), p, null, null);
                }
            }
        }
    }

    private void serverError(Exchange x, Surface surface, SignetException e) {
        if (surface == Surface.PAGE) {
            page(x, 500, "Something went wrong", e.publicDescription(), e, null, null);
        } else if (surface == Surface.TEXT) {
            text(x, 500, e.reason(), "internal error; correlation id " + x.correlationId());
        } else {
            oauthJson(x, 500, "server_error", "internal error; correlation id " + x.correlationId());
        }
    }

    /** {@code retryUrl} "" is a link to the current page (retry the same request); null shows no button. */
    private void page(Exchange x, int status, String title, String message, SignetException e, @Nullable String connection,
            @Nullable String retryUrl) {
        x.html(status, pages.error(new ErrorView(title, message, e.reason().code(), x.correlationId(), connection, retryUrl,
                Looks.of(x.tenantOrNull()))));
    }

    /** One line, {@code <reason code>: <description>}, for the text surface ({@code /metrics}). */
    private static void text(Exchange x, int status, Reason r, String description) {
        x.header("Cache-Control", "no-store");
        x.text(status, r.code() + ": " + description + "\n");
    }

    private static void oauthJson(Exchange x, int status, String error, String description) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        x.json(status, Json.write(body), false);
    }

    private static void log(Exchange x, SignetException e) {
        switch (e) {
            // A request that cannot even be decoded is no protocol misstep: a broken client or a probe, worth a WARN.
            case ProtocolException p when p.reason() == Reason.REQUEST_MALFORMED -> LOG.warn("request refused",
                    kv("reason", e.reason().code()), kv("detail", e.detail()));
            case ProtocolException p -> LOG.info("request refused", kv("reason", e.reason().code()),
                    kv("detail", e.detail()));
            case UpstreamException u -> LOG.warn("upstream failure", kv("reason", e.reason().code()),
                    kv("connection", u.connection()), kv("detail", e.detail()));
            // An outage is an operated-around state, not a bug: one WARN per request naming what failed
            // (the driver's own words), no stack trace; stack traces are kept for internal errors.
            case UnavailableException u -> LOG.warn("store unavailable", kv("reason", e.reason().code()),
                    kv("detail", e.detail()), kv("cause", rootCause(e)));
            // debug: a flood must not flood the log; signet_rate_limited_total counts every one, and
            // the policy logs each back-off it starts (RateLimits)
            case RateLimitedException l -> LOG.debug("request rate-limited", kv("reason", e.reason().code()),
                    kv("endpoint", l.endpoint()), kv("limit", l.limit()), kv("detail", e.detail()));
            case ConfigException c -> LOG.error("configuration error", kv("reason", e.reason().code()),
                    kv("detail", e.detail()));
            case InternalException i -> LOG.error("internal error", kv("reason", e.reason().code()),
                    kv("detail", e.detail()), e.getCause());
        }
    }

    /** The innermost cause's class and message ("SQLTransientConnectionException: … timed out"): what failed, in one line. */
    static String rootCause(Throwable e) {
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        return root == e ? "" : root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /**
     * RFC 6750 §3: {@code error_description} in the challenge takes only %x20-21 / %x23-5B / %x5D-7E: a quote becomes an
     * apostrophe, "§" the word "section", anything else outside that range is dropped (the JSON body keeps the text whole).
     */
    static String challengeText(String description) {
        StringBuilder b = new StringBuilder(description.length());
        for (char c : description.replace("\"", "'").replace("§", "section ").toCharArray()) {
            if (c >= 0x20 && c <= 0x7E && c != '\\') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
