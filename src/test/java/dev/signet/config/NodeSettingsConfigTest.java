package dev.signet.config;

import static dev.signet.harness.ConfigYaml.DEV_TENANT;
import static dev.signet.harness.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.signet.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code keys:} (rotation, issue 14) and {@code server.drain} (issue 13): defaults, values, every mistake listed with its path. */
class NodeSettingsConfigTest {

    @Test
    void parseWhenAbsentThenDefaults() {
        SignetConfig c = parse("server: {host: 127.0.0.1, port: 8080}\n" + DEV_TENANT);
        assertThat(c.keys()).isEqualTo(new KeySettings(Duration.ofDays(30), Duration.ofMinutes(10)));
        assertThat(c.server().drain()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void parseWhenGivenThenRead() {
        SignetConfig c = parse("server: {host: 127.0.0.1, port: 8080, drain: 0s}\nkeys: {rotate_every: 7d, publish_ahead: 1h}\n" + DEV_TENANT);
        assertThat(c.keys()).isEqualTo(new KeySettings(Duration.ofDays(7), Duration.ofHours(1)));
        assertThat(c.server().drain()).isZero();
    }

    @Test
    void parseWhenWrongThenEveryProblemWithItsPath() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(
                "server: {host: 127.0.0.1, port: 8080, drain: 10m}\nkeys: {rotate_every: 30m, publish_ahead: 1m, rotate: yes}\n" + DEV_TENANT));
        assertThat(e.problems()).extracting(ConfigException.Problem::path)
                .containsExactlyInAnyOrder("server.drain", "keys.rotate_every", "keys.publish_ahead", "keys.rotate");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.toString()).contains("keys.publish_ahead").contains("JWKS cache lifetime"));
    }

    @Test
    void parseWhenRotationShorterThanTwicePublicationThenRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(
                "server: {host: 127.0.0.1, port: 8080}\nkeys: {rotate_every: 1h, publish_ahead: 40m}\n" + DEV_TENANT));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.toString()).contains("keys.rotate_every")
                .contains("twice publish_ahead"));
    }

    @Test
    void parseWhenVerifiedTokenCacheAbsentThenAutoElseRead() {
        assertThat(parse("server: {host: 127.0.0.1, port: 8080}\n" + DEV_TENANT).server().verifiedTokenCache())
                .isEqualTo(ServerSettings.AUTO_VERIFIED_TOKEN_CACHE);
        assertThat(parse("server: {host: 127.0.0.1, port: 8080, verified_token_cache: 0}\n" + DEV_TENANT).server().verifiedTokenCache())
                .isZero();
    }

    @Test
    void parseWhenVerifiedTokenCacheWrongThenListedWithOtherProblems() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(
                "server: {host: 127.0.0.1, port: 8080, verified_token_cache: -1, drain: 10m}\n" + DEV_TENANT));
        assertThat(e.problems()).extracting(ConfigException.Problem::path)
                .containsExactlyInAnyOrder("server.verified_token_cache", "server.drain");
        ConfigException big = catchThrowableOfType(ConfigException.class, () -> parse(
                "server: {host: 127.0.0.1, port: 8080, verified_token_cache: lots}\n" + DEV_TENANT));
        assertThat(big.problems()).singleElement().satisfies(p -> assertThat(p.toString()).contains("server.verified_token_cache")
                .contains("whole number"));
    }

    @Test
    void parseWhenConnectionLimitsAbsentThenAutoAndSeventyFiveSecondsElseRead() {
        ServerSettings d = parse("server: {host: 127.0.0.1, port: 8080}\n" + DEV_TENANT).server();
        assertThat(d.maxConnections()).isEqualTo(ServerSettings.AUTO_CONNECTIONS);
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(75));
        ServerSettings given = parse("server: {host: 127.0.0.1, port: 8080, max_connections: 5000, idle_timeout: 20s}\n" + DEV_TENANT).server();
        assertThat(given.maxConnections()).isEqualTo(5000);
        assertThat(given.idleTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(parse("server: {host: 127.0.0.1, port: 8080, max_connections: auto}\n" + DEV_TENANT).server().maxConnections())
                .isEqualTo(ServerSettings.AUTO_CONNECTIONS);
    }

    @Test
    void parseWhenConnectionLimitsWrongThenEachListed() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(
                "server: {host: 127.0.0.1, port: 8080, max_connections: 0, idle_timeout: 2h}\n" + DEV_TENANT));
        assertThat(e.problems()).extracting(ConfigException.Problem::path)
                .containsExactlyInAnyOrder("server.max_connections", "server.idle_timeout");
        ConfigException word = catchThrowableOfType(ConfigException.class, () -> parse(
                "server: {host: 127.0.0.1, port: 8080, max_connections: many, idle_timeout: 500ms}\n" + DEV_TENANT));
        assertThat(word.problems()).extracting(ConfigException.Problem::path)
                .containsExactlyInAnyOrder("server.max_connections", "server.idle_timeout");
    }

    /**
     * Issue 13 leftover: a delivery still running when its lease runs out is claimed and sent again by
     * another relay, so the lease must outlast the slowest sink: a webhook timeout over half the lease,
     * or a lease under 15 s, is a problem (each listed with the others).
     */
    @Test
    void parseWhenSinkTimeoutNotWellInsideTheLeaseThenRefused() {
        String webhooks = "events:\n  relay: {lease: %s}\n  webhooks:\n"
                + "    - {id: ok, url: https://a.example/h, secret: 0123456789abcdef, timeout: %s}\n"
                + "    - {id: slow, url: https://b.example/h, secret: 0123456789abcdef, timeout: %s}\n";
        assertThat(parse("server: {host: 127.0.0.1, port: 8080}\n" + webhooks.formatted("60s", "5s", "30s") + DEV_TENANT).containment().events().relay()
                .lease()).isEqualTo(Duration.ofSeconds(60));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(
                "server: {host: 127.0.0.1, port: 8080}\n" + webhooks.formatted("60s", "5s", "31s") + DEV_TENANT));
        assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.toString()).contains("events.webhooks[1].timeout")
                .contains("half of events.relay.lease"));
        ConfigException both = catchThrowableOfType(ConfigException.class, () -> parse(
                "server: {host: 127.0.0.1, port: 8080}\n" + webhooks.formatted("10s", "1s", "5m") + DEV_TENANT));
        assertThat(both.problems()).extracting(ConfigException.Problem::path)
                .containsExactlyInAnyOrder("events.relay.lease", "events.webhooks[1].timeout");
    }
}
