package dev.signet.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.RawHttp;
import dev.signet.harness.SignetHarness;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README "Reverse proxies": from a peer in {@code server.trusted_proxies}, {@code X-Forwarded-Proto}
 * and {@code X-Forwarded-Prefix}, when sent, must agree with the selected domain's configured scheme
 * and path prefix, else 421 {@code request.unknown_host}; agreeing values are served. The test client
 * connects from 127.0.0.1, which this server trusts.
 */
class TrustedProxyTest {

    static SignetHarness signet;
    static int port;

    static final String CONFIG = SignetHarness.server().replace("host: 127.0.0.1", "host: 127.0.0.1\n  trusted_proxies: [127.0.0.1/32]") + """
            tenants:
              - name: default
                connections:
                  - id: dev
                    kind: dev-unsafe
              - name: prefixed
                issuer: "http://pfx.test:${PORT}/auth"
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
        port = signet.issuer().getPort();
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    /** Discovery through the proxy: {@code forwarded} are header name/value pairs. */
    static RawHttp.Response discovery(String host, String... forwarded) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", host);
        for (int i = 0; i < forwarded.length; i += 2) {
            h.put(forwarded[i], forwarded[i + 1]);
        }
        return RawHttp.get(port, "/.well-known/openid-configuration", h);
    }

    static void assertRefused(RawHttp.Response r) {
        assertThat(r.status()).as(r.all()).isEqualTo(421);
        assertThat(r.body()).contains("request.unknown_host");
    }

    static void assertServedAs(RawHttp.Response r, String issuer) {
        assertThat(r.status()).as(r.all()).isEqualTo(200);
        assertThat(r.body()).contains("\"issuer\":\"" + issuer + "\"");
    }

    @Test
    void requestWhenTrustedProxySendsProtoThatDisagreesWithTheDomainThen421() {
        assertRefused(discovery("localhost:" + port, "X-Forwarded-Proto", "https"));
        assertRefused(discovery("localhost:" + port, "X-Forwarded-Proto", "https, http")); // the first value counts
        assertRefused(discovery("localhost", "X-Forwarded-Host", "pfx.test", "X-Forwarded-Proto", "https", "X-Forwarded-Prefix", "/auth"));
    }

    @Test
    void requestWhenTrustedProxySendsProtoThatAgreesThenServed() {
        assertServedAs(discovery("localhost:" + port, "X-Forwarded-Proto", "http"), "http://localhost:" + port);
        assertServedAs(discovery("localhost:" + port, "X-Forwarded-Proto", "HTTP"), "http://localhost:" + port);
    }

    @Test
    void requestWhenTrustedProxySendsPrefixThatDisagreesWithTheDomainThen421() {
        assertRefused(discovery("localhost", "X-Forwarded-Host", "pfx.test", "X-Forwarded-Prefix", "/other"));
        assertRefused(discovery("localhost", "X-Forwarded-Host", "pfx.test", "X-Forwarded-Prefix", "/"));
        // the default domain has no prefix: a proxy that claims one is misconfigured
        assertRefused(discovery("localhost:" + port, "X-Forwarded-Prefix", "/auth"));
    }

    @Test
    void requestWhenTrustedProxySendsPrefixThatAgreesThenServedWithIt() {
        String prefixed = "http://pfx.test:" + port + "/auth";
        assertServedAs(discovery("localhost", "X-Forwarded-Host", "pfx.test", "X-Forwarded-Prefix", "/auth"), prefixed);
        assertServedAs(discovery("localhost", "X-Forwarded-Host", "pfx.test", "X-Forwarded-Prefix", "/auth/", "X-Forwarded-Proto", "http"),
                prefixed);
        assertServedAs(discovery("localhost:" + port, "X-Forwarded-Prefix", "/"), "http://localhost:" + port);
    }
}
