package dev.signet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.signet.config.ObserveSettings;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code tracing.otlp_endpoint} exports spans as OTLP/HTTP protobuf through Signet's JDK-HttpClient
 * sender (registered by ServiceLoader; without it the exporter cannot be built at all).
 */
class OtlpExportTest {

    @Test
    void exportWhenEndpointConfiguredThenCollectorReceivesProtobufPost() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            received.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " " + body.length);
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        collector.start();
        try {
            URI endpoint = URI.create("http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces");
            try (Tracing tracing = Tracing.create(new ObserveSettings.Tracing(Optional.of(endpoint), "signet-test"), List.of())) {
                Span span = tracing.start("store.write", SpanKind.INTERNAL);
                span.end();
            } // close flushes the batch

            assertThat(received).singleElement().satisfies(r -> assertThat(r).startsWith("POST application/x-protobuf "));
            assertThat(Integer.parseInt(received.getFirst().substring(received.getFirst().lastIndexOf(' ') + 1))).isGreaterThan(20);
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void tracingWhenNoExporterThenSpansStillHaveTraceIds() {
        try (Tracing tracing = Tracing.disabled()) {
            Span span = tracing.start("x", SpanKind.INTERNAL);

            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(Tracing.traceparent(span).get("traceparent")).contains(span.getSpanContext().getTraceId());
            span.end();
        }
    }
}
