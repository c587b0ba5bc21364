package dev.signet.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What happens around every request, whatever the route: the correlation id (kept from a trusted
 * proxy's well-formed {@code X-Request-Id}, else generated), the log context, the server span and
 * the access log line. The HTTP layer calls {@link #begin} and closes the result.
 *
 * <p><b>One trace per sign-in.</b> A browser journey is several requests (authorize, sign-in,
 * upstream, callback, resume) and browsers send no {@code traceparent}. {@code /authorize} starts
 * the trace (or continues an incoming {@code traceparent}) and hands the browser a short-lived
 * cookie {@value #TRACE_COOKIE} holding only its W3C trace context (no secret: ids, not
 * credentials); the later journey steps continue that trace when no {@code traceparent} header
 * comes with them.
 */
public final class HttpObserver {

    public static final String TRACE_COOKIE = "signet_trace";
    public static final Duration TRACE_COOKIE_TTL = Duration.ofMinutes(15);

    /** Browser journey steps after /authorize: they continue the journey's trace from the cookie. */
    private static final java.util.Set<String> CONTINUES = java.util.Set.of("/signin/{connection}", "/dev-upstream/{connection}",
            "/callback/{connection}", "/authorize/resume");
    /** Span names of the protocol endpoints and journey steps, by route pattern. */
    private static final Map<String, String> STEPS = Map.of(
            "/authorize", "authorize",
            "/signin/{connection}", "signin.start",
            "/dev-upstream/{connection}", "dev_upstream",
            "/callback/{connection}", "signin.callback",
            "/authorize/resume", "authorize.resume",
            "/token", "token",
            "/userinfo", "userinfo");

    private final Tracing tracing;
    private final AccessLog accessLog;
    private final Supplier<String> ids;

    public HttpObserver(Tracing tracing, AccessLog accessLog, Supplier<String> ids) {
        this.tracing = tracing;
        this.accessLog = accessLog;
        this.ids = ids;
    }

    /** A new correlation id, for a request refused before {@link #begin} could run (it could not be parsed). */
    public String newCorrelationId() {
        return ids.get();
    }

    /**
     * @param route the matched route pattern, e.g. {@code /callback/{connection}}
     * @param header request header by name (null when absent)
     * @param cookie request cookie by name (null when absent)
     * @param trustedPeer whether the peer may set {@code X-Request-Id} (a trusted proxy)
     */
    public Request begin(String method, String route, String path, String query, Function<String, @Nullable String> header,
            Function<String, @Nullable String> cookie, boolean trustedPeer) {
        long started = System.nanoTime();
        String step = STEPS.get(route);
        Context parent = Tracing.extract(header);
        boolean fromHeader = Span.fromContext(parent).getSpanContext().isValid();
        if (!fromHeader && CONTINUES.contains(route)) {
            String carried = cookie.apply(TRACE_COOKIE);
            if (carried != null) {
                parent = Tracing.extract(k -> k.equals("traceparent") ? carried : null);
            }
        }
        Span span = tracing.server(step, parent, method, route);
        String incoming = header.apply("X-Request-Id");
        String id = incoming != null && trustedPeer && RequestContext.wellFormed(incoming) ? incoming : ids.get();
        span.setAttribute(Tracing.CORRELATION_ID, id);
        SpanContext sc = span.getSpanContext();
        RequestContext log = RequestContext.open(id, sc.isValid() ? sc.getTraceId() : "");
        Scope scope = span.makeCurrent();
        Optional<String> traceCookie = route.equals("/authorize") && sc.isValid()
                ? Optional.ofNullable(Tracing.traceparent(span).get("traceparent")) : Optional.empty();
        return new Request(this, span, scope, log, id, traceCookie, method, path, query, started);
    }

    /** One request in flight; close it when the response is sent. */
    public static final class Request implements AutoCloseable {
        private final HttpObserver observer;
        private final Span span;
        private final Scope scope;
        private final RequestContext log;
        private final String correlationId;
        private final Optional<String> traceCookie;
        private final String method;
        private final String path;
        private final String query;
        private final long started;
        private int status = 200;

        private Request(HttpObserver observer, Span span, Scope scope, RequestContext log, String correlationId,
                Optional<String> traceCookie, String method, String path, String query, long started) {
            this.observer = observer;
            this.span = span;
            this.scope = scope;
            this.log = log;
            this.correlationId = correlationId;
            this.traceCookie = traceCookie;
            this.method = method;
            this.path = path;
            this.query = query;
            this.started = started;
        }

        public String correlationId() {
            return correlationId;
        }

        /** A value for the {@value #TRACE_COOKIE} cookie to set on this response, if any. */
        public Optional<String> traceCookie() {
            return traceCookie;
        }

        /** The request failed with this reason code (recorded on the span). */
        public void failed(String reason, @Nullable Throwable error) {
            Tracing.fail(span, reason, error);
        }

        public void status(int status) {
            this.status = status;
        }

        @Override
        public void close() {
            span.setAttribute(Tracing.HTTP_STATUS, (long) status);
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            observer.accessLog.request(method, path, query, status, started);
            scope.close();
            span.end();
            log.close();
        }
    }
}
