package dev.signet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.app.Signet;
import dev.signet.harness.Browser;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.StoreFaults;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 17 item 4: {@code /health/ready} says whether this node can complete a sign-in now. A
 * database that answers reads but refuses writes makes it 503 with {@code store: down: writes
 * refused…} (the check writes and rolls back); after a rejected reload the body shows the last
 * reload's result (rejected, how many problems, when) and the configuration version still in force,
 * and so do the metrics. The node stays ready then: the last good configuration serves.
 */
class ReadinessTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static SignetHarness signet;
    static Path file;
    static Map<String, String> env;

    static String config(String displayName) {
        return SignetHarness.server().replace("${PORT}", env.get("PORT")).replace("${DATA}", env.get("DATA")) + """
                tenants:
                  - name: default
                    display_name: %s
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """.formatted(displayName);
    }

    @BeforeAll
    static void start() throws Exception {
        file = Files.createTempDirectory("signet-ready").resolve("signet.yaml");
        env = new LinkedHashMap<>();
        env.put("PORT", String.valueOf(SignetHarness.freePort()));
        env.put("DATA", Files.createTempDirectory("signet-ready-data").toString());
        Files.writeString(file, config("Before"));
        signet = SignetHarness.start(Files.readString(file), env);
        signet.app().reloadOnChange(Signet.configLoader(env), file);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    @AfterEach
    void heal() {
        signet.storeFaults.heal();
    }

    static HttpResponse<String> ready() {
        return new Browser().get(signet.management("/health/ready"));
    }

    static String metrics() {
        return new Browser().get(signet.management("/metrics")).body();
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; health: " + ready().body());
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // poll with a deadline
        }
    }

    @Test
    void readyWhenStoreAnswersReadsButRefusesWritesThen503NamingWrites() {
        assertThat(ready().statusCode()).isEqualTo(200);

        signet.storeFaults.fail(StoreFaults.Scope.WRITES);
        HttpResponse<String> r = ready();

        assertThat(r.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("status").asString()).isEqualTo("down");
        assertThat(body.path("checks").path("store").asString()).isEqualTo("down: writes refused: store.unavailable");
        assertThat(body.path("checks").path("keys").asString()).isEqualTo("up");

        signet.storeFaults.heal();
        assertThat(ready().statusCode()).isEqualTo(200);
        assertThat(signet.events().backlog()).as("the readiness write left nothing behind").isZero();
    }

    @Test
    void readyAfterRejectedReloadThenShowsRejectionAndVersionInForceAndMetricsSayTheSame() throws Exception {
        JsonNode before = JSON.readTree(ready().body()).path("config");
        long version = before.path("version").asLong();
        assertThat(version).isPositive();
        assertThat(before.path("digest").asString()).hasSize(12);

        Files.writeString(file, config("Broken") + "    unknown_key: 1\nrate_limits: nonsense\n");
        await("the rejection in health", () -> JSON.readTree(ready().body()).path("config").path("last_reload").path("outcome")
                .asString("").equals("rejected"));

        HttpResponse<String> r = ready();
        assertThat(r.statusCode()).as("the last good configuration still serves: ready").isEqualTo(200);
        JsonNode config = JSON.readTree(r.body()).path("config");
        assertThat(config.path("version").asLong()).as("the version in force is unchanged").isEqualTo(version);
        assertThat(config.path("digest").asString()).isEqualTo(before.path("digest").asString());
        assertThat(config.path("last_reload").path("problems").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(config.path("last_reload").path("trigger").asString()).isEqualTo("file change");
        assertThat(config.path("last_reload").path("at").asString()).isNotEmpty();
        assertThat(metrics()).contains("signet_config_last_reload_success 0.0").contains("signet_config_version " + version + ".0")
                .containsPattern("signet_config_reloads_total\\{outcome=\"rejected\"} [1-9]");

        Files.writeString(file, config("After"));
        await("the applied reload in health", () -> JSON.readTree(ready().body()).path("config").path("version").asLong() == version + 1);
        JsonNode applied = JSON.readTree(ready().body()).path("config");
        assertThat(applied.path("last_reload").path("outcome").asString()).isEqualTo("applied");
        assertThat(applied.path("digest").asString()).hasSize(12).isNotEqualTo(before.path("digest").asString());
        assertThat(metrics()).contains("signet_config_last_reload_success 1.0").contains("signet_config_version " + (version + 1) + ".0");
    }
}
