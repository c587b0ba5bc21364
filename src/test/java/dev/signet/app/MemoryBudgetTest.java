package dev.signet.app;

import static dev.signet.harness.ConfigYaml.DEV_TENANT;
import static dev.signet.harness.ConfigYaml.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.signet.ConfigException;
import dev.signet.config.SignetConfig;
import org.junit.jupiter.api.Test;

/**
 * The bounds of what the node keeps for others (connections, rate-limit keys, session and
 * verified-token caches) fit the heap: by default sized from it, configured ones refused when together
 * they could hold more than half of it. The limits in force: {@code web.ConnectionLimitsTest}; {@code signet serve} refusing: {@code cli.MainTest}.
 */
class MemoryBudgetTest {

    static final long MIB = 1L << 20;
    @Test
    void ofWhenNothingConfiguredThenSharesOfTheHeapWithinTheFormerDefaults() {
        SignetConfig c = parse("server: {host: 127.0.0.1, port: 8080}\n" + DEV_TENANT);
        MemoryBudget small = MemoryBudget.of(c, 80 * MIB); // the launcher's -Xmx80m
        assertThat(small).isEqualTo(new MemoryBudget((int) (16 * MIB / (16 * 1024)), (int) (8 * MIB / 1_100), (int) (8 * MIB / 512),
                (int) (8 * MIB / 1_856)));
        assertThat(small.bytes()).isLessThanOrEqualTo(40 * MIB);
        assertThat(small.managementConnections()).isEqualTo(128);
        assertThat(MemoryBudget.of(c, 4 * MIB).managementConnections()).isEqualTo(64);
        assertThat(MemoryBudget.of(c, 1024 * MIB)).isEqualTo(new MemoryBudget(13_107, 50_000, 100_000, 10_000));
        assertThat(MemoryBudget.of(c, 4 * MIB)).isEqualTo(new MemoryBudget(64, 1_000, 1_000, 1_000));
        assertThat(MemoryBudget.checked(c, 80 * MIB)).isEqualTo(small);
    }

    @Test
    void ofWhenConfiguredThenAsGivenAndAutoAsAbsent() {
        SignetConfig c = parse("server: {host: 127.0.0.1, port: 8080, max_connections: 300, verified_token_cache: 0}\n"
                + "rate_limits: {max_keys: 2000}\n" + DEV_TENANT);
        assertThat(MemoryBudget.checked(c, 80 * MIB)).isEqualTo(new MemoryBudget(300, 2_000, 16_384, 0));
        SignetConfig auto = parse("server: {host: 127.0.0.1, port: 8080, max_connections: auto, verified_token_cache: auto}\n"
                + "rate_limits: {max_keys: auto}\n" + DEV_TENANT);
        assertThat(MemoryBudget.of(auto, 80 * MIB)).isEqualTo(MemoryBudget.of(parse("server: {port: 8080}\n" + DEV_TENANT), 80 * MIB));
    }

    @Test
    void checkedWhenConfiguredBoundsExceedHalfTheHeapThenEachConfiguredOneNamedWithItsCost() {
        SignetConfig c = parse("server: {host: 127.0.0.1, port: 8080, verified_token_cache: 20000, max_connections: 2000}\n" + DEV_TENANT);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> MemoryBudget.checked(c, 80 * MIB));
        assertThat(e.problems()).extracting(ConfigException.Problem::path)
                .containsExactlyInAnyOrder("server.verified_token_cache", "server.max_connections");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.message()).startsWith("20000 tokens (~36 MiB)")
                .contains("more than half of this node's 80 MiB (-Xmx)").contains("SIGNET_JAVA_OPTS=-Xmx"));
        // the same configuration fits a larger heap, and the heap the message names is enough (its defaults grow with it;
        // Runtime.maxMemory() is a few percent under -Xmx)
        assertThat(MemoryBudget.checked(c, 512 * MIB).verifiedTokens()).isEqualTo(20_000);
        String message = e.problems().getFirst().message();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-Xmx(\\d+)m").matcher(message);
        assertThat(m.find()).isTrue();
        long suggested = Long.parseLong(m.group(1)) * MIB;
        assertThat(MemoryBudget.checked(c, suggested * 96 / 100).maxConnections()).isEqualTo(2000);
        assertThat(catchThrowableOfType(ConfigException.class, () -> MemoryBudget.checked(c, suggested * 96 / 100 / 2))).isNotNull();
    }
}
