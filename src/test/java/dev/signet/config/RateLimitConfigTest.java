package dev.signet.config;

import static dev.signet.harness.ConfigYaml.DEV_TENANT;
import static dev.signet.harness.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.signet.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code rate_limits} section: defaults, parsed values, and every mistake listed with its path. */
class RateLimitConfigTest {

    static final String BASE = "server: {host: 127.0.0.1, port: 8080}\n" + DEV_TENANT;

    @Test
    void parseWhenSectionAbsentThenDefaults() {
        // max_keys absent: sized from the heap at start (app.MemoryBudget); everything else the defaults
        assertThat(parse(BASE).rateLimits()).isEqualTo(RateLimitSettings.defaults().withMaxKeys(RateLimitSettings.AUTO_MAX_KEYS));
        assertThat(RateLimitSettings.defaults().enabled()).isTrue();
        assertThat(RateLimitSettings.defaults().authFailures().maxBackoff()).isLessThanOrEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void parseWhenValuesGivenThenReadAndOffRemovesALimit() {
        RateLimitSettings r = parse(BASE + """
                rate_limits:
                  enabled: false
                  per_address: {token: 20/1s, authorize: "off"}
                  client_auth_failures: {max: 3, window: 1m, backoff: 2s, max_backoff: 30s, client_max: 10}
                  max_keys: 5000
                """).rateLimits();

        assertThat(r.enabled()).isFalse();
        assertThat(r.perAddress().get("token")).isEqualTo(new RateLimitSettings.Rate(20, Duration.ofSeconds(1)));
        assertThat(r.perAddress()).doesNotContainKey("authorize").containsKey("pages");
        assertThat(r.authFailures()).isEqualTo(new RateLimitSettings.AuthFailures(3, Duration.ofMinutes(1), Duration.ofSeconds(2),
                Duration.ofSeconds(30), 10));
        assertThat(r.maxKeys()).isEqualTo(5000);
    }

    @Test
    void parseWhenSectionHasManyMistakesThenEveryProblemListedWithItsPath() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(BASE + """
                rate_limits:
                  per_adress: {token: 1/1s}
                  per_address: {token: lots, userinfo: 5/1m, pages: 0/1m, callback: 5/1y}
                  client_auth_failures: {max: 10, backoff: 2m, max_backoff: 1m, client_max: 5, windw: 1m}
                  max_keys: 10
                """));

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(ConfigException.Problem::path).containsExactlyInAnyOrder(
                "rate_limits.per_adress", "rate_limits.per_address.userinfo", "rate_limits.per_address.token",
                "rate_limits.per_address.pages", "rate_limits.per_address.callback",
                "rate_limits.client_auth_failures.windw", "rate_limits.client_auth_failures.backoff",
                "rate_limits.client_auth_failures.client_max", "rate_limits.max_keys");
    }

    @Test
    void parseWhenMaxBackoffLongerThanFifteenMinutesThenRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(BASE + """
                rate_limits:
                  client_auth_failures: {max_backoff: 1h}
                """));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("rate_limits.client_auth_failures.max_backoff");
            assertThat(p.message()).contains("at most 15m");
        });
    }
}
