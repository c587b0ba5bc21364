package dev.signet.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.RawHttp;
import dev.signet.harness.SignetHarness;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request's Host decides the tenant and domain: an unknown or malformed Host, a Host header
 * injection, and {@code X-Forwarded-Host} from an untrusted peer are refused with 421 and the value
 * never appears in the response. Sent over a raw socket so any Host can be tried.
 */
class HostHeaderTest {

    static SignetHarness signet;
    static int port;

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                connections:
                  - id: dev
                    kind: dev-unsafe
              - name: acme
                issuer: "http://acme.test:${PORT}"
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

    private static RawHttp.Response discovery(Map<String, String> headers) {
        return RawHttp.get(port, "/.well-known/openid-configuration", headers);
    }

    @Test
    void discoveryWhenHostKnownThenServedForThatDomainWhateverThePortOrCase() {
        assertThat(discovery(Map.of("Host", "localhost:" + port)).body()).contains("\"issuer\":\"http://localhost:" + port + "\"");
        RawHttp.Response acme = discovery(Map.of("Host", "ACME.test."));
        assertThat(acme.status()).isEqualTo(200);
        assertThat(acme.body()).contains("\"issuer\":\"http://acme.test:" + port + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:" + 0, "localhost.evil.example", "acme.test.evil.example",
            "localhost@evil.example", "evil.example/localhost", "localhost:80:80", "[::1", "localhost:99999", "local host",
            "xn--80ak6aa92e.com", "127.0.0.1"})
    void requestWhenHostUnknownOrMalformedThen421AndNeverReflected(String host) {
        RawHttp.Response r = discovery(Map.of("Host", host));
        assertThat(r.status()).as(host).isIn(400, 421);
        assertThat(r.all()).doesNotContain(host);
        if (r.status() == 421) {
            assertThat(r.body()).contains("request.unknown_host");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:%d", "[::1]:%d"})
    void homeWhenBrowserOnThisMachineUsesLoopbackLiteralThen421NamingTheConfiguredAddress(String host) {
        RawHttp.Response r = RawHttp.get(port, "/", Map.of("Host", host.formatted(port), "Accept", "text/html"));

        assertThat(r.status()).isEqualTo(421);
        assertThat(r.body()).contains("request.unknown_host").contains("http://localhost:" + port).doesNotContain("127.0.0.1");
    }

    @Test
    void homeWhenUnknownNameThen421WithoutSuggestingAnyAddress() {
        RawHttp.Response r = RawHttp.get(port, "/", Map.of("Host", "intranet.example", "Accept", "text/html"));

        assertThat(r.status()).isEqualTo(421);
        assertThat(r.body()).doesNotContain("localhost:" + port).doesNotContain("acme.test");
    }

    @ParameterizedTest
    // GET /token is a mounted path with another method: 405 (MethodNotAllowedRfc9110Test)
    @ValueSource(strings = {"/no/such/page", "/tokens", "/.well-known/nothing", "/callback"})
    void requestWhenNoRouteMatchesThen404ThroughTheErrorModelWithReasonAndCorrelationId(String path) {
        RawHttp.Response r = RawHttp.get(port, path, Map.of("Host", "localhost:" + port, "Accept", "text/html"));

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body()).contains("not_found").contains("There is no such page here.").doesNotContain("Endpoint not found");
        assertThat(r.all()).containsIgnoringCase("X-Correlation-Id");
    }

    @Test
    void requestWhenNoRouteMatchesOnAnUnknownHostThen421NotA404() {
        assertThat(RawHttp.get(port, "/no/such/page", Map.of("Host", "evil.example")).status()).isEqualTo(421);
    }

    @Test
    void requestWhenNoHostHeaderThenRefused() {
        RawHttp.Response r = discovery(Map.of());
        assertThat(r.status()).isIn(400, 421);
    }

    @Test
    void requestWhenUntrustedPeerSendsForwardedHostThen421AndNeverReflected() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "localhost:" + port);
        h.put("X-Forwarded-Host", "evil.example");
        RawHttp.Response r = discovery(h);
        assertThat(r.status()).isEqualTo(421);
        assertThat(r.all()).doesNotContain("evil.example");
        // naming another known tenant's host does not switch tenants either
        h.put("X-Forwarded-Host", "acme.test");
        assertThat(discovery(h).status()).isEqualTo(421);
    }

    @Test
    void requestWhenUntrustedPeerSendsProtoAndPrefixThenIgnored() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Host", "localhost:" + port);
        h.put("X-Forwarded-Proto", "https");
        h.put("X-Forwarded-Prefix", "/evil");
        RawHttp.Response r = discovery(h);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("https://", "/evil");
    }

    @Test
    void pagesWhenHostUnknownThenErrorPageWithoutTheHostAndLiveness200() {
        RawHttp.Response page = RawHttp.get(port, "/authorize?client_id=x", Map.of("Host", "phish.example"));
        assertThat(page.status()).isEqualTo(421);
        assertThat(page.all()).doesNotContain("phish.example").contains("Cache-Control: no-store");
        // liveness answers on any Host (probes address pods by IP)
        assertThat(RawHttp.get(port, "/healthz", Map.of("Host", "10.1.2.3:8080")).status()).isEqualTo(200);
        for (String path : List.of("/token", "/userinfo")) {
            assertThat(RawHttp.get(port, path, Map.of("Host", "phish.example")).status()).isIn(404, 405, 421);
        }
    }
}
