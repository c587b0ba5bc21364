package dev.signet.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.signet.harness.Browser;
import dev.signet.harness.SignetHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Shutdown drains through readiness (issue 13): on SIGTERM ({@code Signet.close()}, which the
 * launcher's shutdown hook calls) {@code /health/ready} turns 503 first, the node keeps serving
 * every request for {@code server.drain} so the load balancer stops sending, and only then the
 * listener closes (after the requests in flight, {@link GracefulShutdownTest}).
 */
class ReadinessDrainTest {

    static final String CONFIG = SignetHarness.server().replace("host: 127.0.0.1", "host: 127.0.0.1\n  drain: 3s") + """
            tenants:
              - name: default
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @Test
    void closeWhenDrainSetThenUnreadyFirstWhileStillServingThenStops() throws Exception {
        SignetHarness signet = SignetHarness.start(CONFIG);
        Browser http = new Browser();
        try {
            assertThat(http.get(signet.management("/health/ready")).statusCode()).isEqualTo(200);
            Thread closing = Thread.ofVirtual().start(signet::close);

            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                    .until(() -> http.get(signet.management("/health/ready")).statusCode() == 503);
            HttpResponse<String> ready = http.get(signet.management("/health/ready"));
            assertThat(ready.body()).contains("\"serving\":\"down\"");
            assertThat(http.get(signet.management("/health/live")).statusCode()).as("alive: no restart").isEqualTo(200);
            assertThat(http.get(signet.url("/.well-known/openid-configuration")).statusCode())
                    .as("still serving while the load balancer drains").isEqualTo(200);

            assertThat(closing.join(Duration.ofSeconds(60))).isTrue();
            assertThatThrownBy(() -> http.get(signet.url("/.well-known/openid-configuration"))).as("stopped after the drain")
                    .isInstanceOf(Exception.class);
        } finally {
            signet.close();
        }
    }
}
