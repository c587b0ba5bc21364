package dev.signet.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.config.RateLimitSettings;
import dev.signet.harness.MutableClock;
import org.junit.jupiter.api.Test;

/** What the HTTP tests cannot see: address keys and the memory bound under address cycling. */
class RateLimitsTest {

    @Test
    void addressKeyWhenIpv6ThenGroupedByItsSlash64() {
        assertThat(RateLimits.addressKey("2001:db8:1:2:aaaa::1")).isEqualTo(RateLimits.addressKey("2001:db8:1:2:bbbb::9"))
                .isEqualTo("20010db800010002::/64");
        assertThat(RateLimits.addressKey("2001:db8:1:3::1")).isNotEqualTo(RateLimits.addressKey("2001:db8:1:2::1"));
        assertThat(RateLimits.addressKey("::ffff:203.0.113.9")).isEqualTo("203.0.113.9");
        assertThat(RateLimits.addressKey("203.0.113.9")).isEqualTo("203.0.113.9");
    }

    @Test
    void admitWhenAttackerCyclesAddressesAndClientIdsThenEntriesStayBounded() {
        RateLimitSettings d = RateLimitSettings.defaults();
        RateLimits limits = new RateLimits(new RateLimitSettings(true, d.perAddress(), d.perClient(), d.authFailures(), 1_000),
                new MutableClock());

        for (int i = 0; i < 20_000; i++) {
            String address = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            limits.admitAddress("token", address);
            limits.clientAuthFailed("default client-" + i, address);
        }

        assertThat(limits.tracked()).isLessThanOrEqualTo(3_000);
    }
}
