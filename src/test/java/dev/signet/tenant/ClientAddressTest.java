package dev.signet.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.app.Signet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The source address for rate limits: X-Forwarded-For is read only through trusted proxies, from the right. */
class ClientAddressTest {

    static final Tenants TENANTS = Tenants.of(Signet.configLoader(Map.of()).parse("""
            server:
              host: 127.0.0.1
              trusted_proxies: [10.0.0.0/8, "::1"]
            tenants:
              - name: default
                connections: [{id: dev, kind: dev-unsafe}]
            """, "test.yaml"));

    @Test
    void clientAddressWhenPeerUntrustedThenForwardedForIgnored() {
        assertThat(TENANTS.clientAddress("198.51.100.1", List.of("203.0.113.9"))).isEqualTo("198.51.100.1");
    }

    @Test
    void clientAddressWhenPeerTrustedThenNearestUntrustedHopFromTheRight() {
        assertThat(TENANTS.clientAddress("10.0.0.1", List.of("203.0.113.9"))).isEqualTo("203.0.113.9");
        assertThat(TENANTS.clientAddress("10.0.0.1", List.of("1.1.1.1, 203.0.113.9, 10.0.0.7"))).isEqualTo("203.0.113.9");
        assertThat(TENANTS.clientAddress("::1", List.of("1.1.1.1", "203.0.113.9"))).as("several header lines").isEqualTo("203.0.113.9");
    }

    @Test
    void clientAddressWhenHopIsNoAddressThenLastTrustedHopStands() {
        assertThat(TENANTS.clientAddress("10.0.0.1", List.of("evil.example"))).isEqualTo("10.0.0.1");
        assertThat(TENANTS.clientAddress("10.0.0.1", List.of("203.0.113.9, unknown, 10.0.0.8"))).isEqualTo("10.0.0.8");
        assertThat(TENANTS.clientAddress("10.0.0.1", List.of("203.0.113.0/24"))).isEqualTo("10.0.0.1");
        assertThat(TENANTS.clientAddress("10.0.0.1", List.of())).isEqualTo("10.0.0.1");
    }
}
