package dev.signet.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.signet.harness.LogCapture;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With tracing off (no exporter, the default) a request's spans are only ids (issue 16: no SDK span
 * nobody reads), yet every log line still carries a trace id: the incoming {@code traceparent}'s
 * trace (W3C Trace Context §3.2), else a new random one per request.
 */
class TraceIdsWithoutExportTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static SignetHarness signet;
    static LogCapture access;
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        access = LogCapture.forLogger("signet.access");
        signet = SignetHarness.start(SignetHarness.server() + """
                logging:
                  access_log: true
                tenants:
                  - name: default
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """);
    }

    @AfterAll
    static void stop() {
        signet.close();
        access.close();
    }

    /** The trace id of the access log line of the request answered with {@code response}. */
    static String traceIdOf(HttpResponse<String> response) {
        String id = response.headers().firstValue("X-Request-Id").orElseThrow();
        ILoggingEvent line = await().atMost(Duration.ofSeconds(10)).until(
                () -> access.events().stream().filter(e -> id.equals(e.getMDCPropertyMap().get(RequestContext.CORRELATION_ID))).findFirst(),
                Optional::isPresent).orElseThrow();
        return line.getMDCPropertyMap().getOrDefault(RequestContext.TRACE_ID, "");
    }

    static HttpResponse<String> discovery(Optional<String> traceparent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(signet.url("/.well-known/openid-configuration"));
        traceparent.ifPresent(t -> b.header("traceparent", t));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r;
    }

    @Test
    void requestWhenTraceparentAndNoExporterThenItsLogLineCarriesThatTrace() throws Exception {
        assertThat(traceIdOf(discovery(Optional.of("00-" + TRACE + "-00f067aa0ba902b7-01")))).isEqualTo(TRACE);
    }

    @Test
    void requestWhenNoTraceparentAndNoExporterThenEachRequestANewTraceId() throws Exception {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            String trace = traceIdOf(discovery(Optional.empty()));
            assertThat(trace).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32)).isNotEqualTo(TRACE);
            seen.add(trace);
        }
        assertThat(seen).hasSize(3);
    }
}
