package dev.signet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.StoreFaults;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /health/live} and {@code /health/ready} on the management listener: readiness fails
 * while the store is down (the JDBC fault seam) and recovers with it; liveness never looks at
 * the store. Neither is served on the public port.
 */
class HealthTest {

    static SignetHarness signet;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(SignetHarness.server() + """
                probes:
                  enabled: false
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
    }

    @AfterEach
    void heal() {
        signet.storeFaults.heal();
    }

    static HttpResponse<String> get(String path) {
        return new Browser().get(signet.management(path));
    }

    @Test
    void readyWhenStoreKeysAndConfigFineThen200WithEveryCheckUp() {
        HttpResponse<String> r = get("/health/ready");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"up\"").contains("\"store\":\"up\"").contains("\"keys\":\"up\"")
                .contains("\"config\":\"up\"");
    }

    @Test
    void readyWhenStoreDownThen503ButLiveStays200() {
        signet.storeFaults.fail(StoreFaults.Scope.ALL);

        HttpResponse<String> ready = get("/health/ready");
        HttpResponse<String> live = get("/health/live");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"down\"").contains("\"store\":\"down").contains("\"keys\":\"up\"");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"up\"");

        signet.storeFaults.heal();
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void healthWhenAskedOnPublicPortThenNotServedThere() {
        assertThat(new Browser().get(signet.url("/health/ready")).statusCode()).isEqualTo(404);
        assertThat(new Browser().get(signet.url("/metrics")).statusCode()).isEqualTo(404);
    }
}
