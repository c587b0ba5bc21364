package dev.signet.observe;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.function.Consumer;

/**
 * OTLP/HTTP (protobuf) span export. The OpenTelemetry exporter needs an HTTP "sender"; its JDK
 * sender artifact is not published for 1.67.0 and the default one brings OkHttp and Kotlin into
 * the jar, so this class is a minimal sender on the JDK {@link HttpClient}, registered through
 * {@code META-INF/services}. No compression and no retry: a failed batch is dropped and counted
 * by the SDK (traces are best effort; sign-in never waits for them).
 */
final class Otlp {

    private Otlp() {}

    static SpanExporter exporter(URI endpoint) {
        return OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).build();
    }

    /** Found by the exporter through {@link java.util.ServiceLoader}. */
    public static final class JdkSenderProvider implements HttpSenderProvider {
        @Override
        public HttpSender createSender(HttpSenderConfig config) {
            return new JdkSender(config);
        }
    }

    private static final class JdkSender implements HttpSender {
        private final HttpSenderConfig config;
        private final HttpClient client;

        JdkSender(HttpSenderConfig config) {
            this.config = config;
            this.client = HttpClient.newBuilder().connectTimeout(config.getConnectTimeout()).build();
        }

        @Override
        public void send(MessageWriter writer, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
            ByteArrayOutputStream body = new ByteArrayOutputStream(Math.max(256, writer.getContentLength()));
            try {
                writer.writeMessage(body);
            } catch (IOException e) {
                onError.accept(e);
                return;
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(config.getEndpoint()).timeout(config.getTimeout())
                    .header("Content-Type", config.getContentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            var headers = config.getHeadersSupplier();
            if (headers != null) {
                headers.get().forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
            }
            client.sendAsync(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, e) -> {
                if (e != null) {
                    onError.accept(e);
                } else {
                    onResponse.accept(new HttpResponse() {
                        @Override
                        public int getStatusCode() {
                            return r.statusCode();
                        }

                        @Override
                        public String getStatusMessage() {
                            return String.valueOf(r.statusCode());
                        }

                        @Override
                        public byte[] getResponseBody() {
                            return r.body();
                        }
                    });
                }
            });
        }

        @Override
        public CompletableResultCode shutdown() {
            client.close();
            return CompletableResultCode.ofSuccess();
        }
    }
}
