package dev.signet.observe;

import dev.signet.config.ObserveSettings;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * OpenTelemetry spans: one server span per request (named after the journey step), client spans
 * for upstream calls and internal spans for store transactions, all in one trace per sign-in (see
 * {@link HttpObserver} for how a browser journey stays in one trace). W3C {@code traceparent}
 * is extracted from requests and injected into upstream calls and hooks ({@link #traceparent()}).
 *
 * <p>Every request has a trace id (for the logs and for propagation); spans are recorded and
 * exported only when an exporter is configured: OTLP/HTTP when {@code tracing.otlp_endpoint} is
 * set, or exporters handed in by the composition root (tests use the in-memory one). Off by
 * default, and then a span is only its ids (issue 16): a valid, non-recording span ({@link
 * Span#wrap}) in the trace of its parent, or of a new trace id, with the parent's flags and trace
 * state, as the SDK's default sampler would give it; no SDK span nobody reads.
 */
public final class Tracing implements AutoCloseable {

    public static final AttributeKey<String> REASON = AttributeKey.stringKey("signet.reason");
    public static final AttributeKey<String> CORRELATION_ID = AttributeKey.stringKey("signet.correlation_id");
    public static final AttributeKey<String> CONNECTION = AttributeKey.stringKey("signet.connection");
    public static final AttributeKey<String> TENANT = AttributeKey.stringKey("signet.tenant");
    static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Function<String, @Nullable String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, @Nullable String> carrier) {
            return List.of("traceparent", "tracestate");
        }

        @Override
        public @Nullable String get(@Nullable Function<String, @Nullable String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    /** The SDK's own generator (random ids from {@code ThreadLocalRandom}), for the spans that are only ids. */
    private static final IdGenerator IDS = IdGenerator.random();

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    /** Whether any exporter receives spans; if not, spans are only their ids. */
    private final boolean exporting;

    private Tracing(SdkTracerProvider provider, boolean exporting) {
        this.provider = provider;
        this.tracer = provider.get("dev.signet");
        this.exporting = exporting;
    }

    /** {@code extra}: exporters besides OTLP, each behind a simple (synchronous) processor. */
    public static Tracing create(ObserveSettings.Tracing settings, List<SpanExporter> extra) {
        SdkTracerProviderBuilder b = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"),
                        settings.serviceName()))));
        settings.otlpEndpoint().ifPresent(endpoint -> b.addSpanProcessor(BatchSpanProcessor.builder(Otlp.exporter(endpoint)).build()));
        extra.forEach(e -> b.addSpanProcessor(SimpleSpanProcessor.create(e)));
        // Without any processor the SDK hands out invalid spans (no trace id for logs or propagation).
        b.addSpanProcessor(KEEP_IDS);
        return new Tracing(b.build(), settings.otlpEndpoint().isPresent() || !extra.isEmpty());
    }

    /** Spans with ids (for logs and {@code traceparent}) that are exported nowhere. */
    public static Tracing disabled() {
        return new Tracing(SdkTracerProvider.builder().addSpanProcessor(KEEP_IDS).build(), false);
    }

    /** A processor that does nothing, so the SDK creates real (recording) spans. */
    private static final SpanProcessor KEEP_IDS = new SpanProcessor() {
        @Override
        public void onStart(Context parentContext, ReadWriteSpan span) {}

        @Override
        public boolean isStartRequired() {
            return false;
        }

        @Override
        public void onEnd(ReadableSpan span) {}

        @Override
        public boolean isEndRequired() {
            return false;
        }
    };

    /**
     * The server span of one request: a child of {@code parent} (an incoming or carried {@code
     * traceparent}), else a new trace; named {@code step} (a journey step), else method and route.
     */
    Span server(@Nullable String step, Context parent, String method, String route) {
        if (!exporting) {
            return idsOnly(parent);
        }
        return tracer.spanBuilder(step != null ? step : method + " " + route).setParent(parent).setSpanKind(SpanKind.SERVER).setAttribute(HTTP_METHOD, method)
                .setAttribute(HTTP_ROUTE, route).startSpan();
    }

    /** A span that is only ids: a child of {@code parent}'s span when that one is valid, else the root of a new trace. */
    private static Span idsOnly(Context parent) {
        SpanContext p = Span.fromContext(parent).getSpanContext();
        return p.isValid()
                ? Span.wrap(SpanContext.create(p.getTraceId(), IDS.generateSpanId(), p.getTraceFlags(), p.getTraceState()))
                : Span.wrap(SpanContext.create(IDS.generateTraceId(), IDS.generateSpanId(), TraceFlags.getSampled(), TraceState.getDefault()));
    }

    /** The parent context carried by {@code traceparent}/{@code tracestate} as read by {@code header}. */
    static Context extract(Function<String, @Nullable String> header) {
        return W3C.extract(Context.root(), header, GETTER);
    }

    /** A span for work inside the current request: {@code kind} CLIENT for upstreams, INTERNAL for the store. */
    public Span start(String name, SpanKind kind) {
        if (!exporting) {
            return idsOnly(Context.current());
        }
        return tracer.spanBuilder(name).setSpanKind(kind).startSpan();
    }

    /** Marks a span failed with a reason code (the same code as on the page, in the log and metric). */
    public static void fail(Span span, String reason, @Nullable Throwable error) {
        span.setAttribute(REASON, reason);
        span.setStatus(StatusCode.ERROR, reason);
        if (error != null) {
            span.recordException(error, Attributes.of(REASON, reason));
        }
    }

    /** W3C headers for an outgoing call made within {@code span} (upstreams, hooks). */
    public static Map<String, String> traceparent(Span span) {
        Map<String, String> out = new LinkedHashMap<>(2);
        try (Scope ignored = span.makeCurrent()) {
            W3C.inject(Context.current(), out, (carrier, k, v) -> {
                if (carrier != null) {
                    carrier.put(k, v);
                }
            });
        }
        return out;
    }

    /** W3C headers for an outgoing call made in the current context. */
    public static Map<String, String> traceparent() {
        return traceparent(Span.current());
    }

    /** Exports what is buffered and stops. */
    @Override
    public void close() {
        provider.shutdown().join(5, TimeUnit.SECONDS);
    }
}
