package dev.signet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.SignetHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code X-Request-Id} on every response; an incoming one kept only when well-formed and from a
 * trusted (here: loopback) peer; the error page shows the same id.
 */
class CorrelationIdTest {

    /** The harness server block, with the loopback test client as a trusted proxy (it sets X-Request-Id). */
    static final String TRUSTING_LOOPBACK = SignetHarness.server().replace("server:\n", "server:\n  trusted_proxies: [127.0.0.1/32, \"::1/128\"]\n");

    static SignetHarness signet;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(TRUSTING_LOOPBACK + """
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

    @Test
    void responseWhenNoIncomingIdThenFreshIdOnEveryResponse() {
        Browser b = new Browser();
        String a = b.get(signet.url("/jwks")).headers().firstValue("X-Request-Id").orElseThrow();
        String c = b.get(signet.url("/healthz")).headers().firstValue("X-Request-Id").orElseThrow();

        assertThat(a).isNotBlank().isNotEqualTo(c);
        assertThat(RequestContext.wellFormed(a)).isTrue();
        assertThat(a).matches("[A-Za-z0-9_-]{22}"); // 128 bits, base64url
        assertThat(java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> dev.signet.Ids.correlationId()).distinct().count()).isEqualTo(10_000);
    }

    @Test
    void errorPageWhenWellFormedIdFromLoopbackThenKeptAndShown() {
        HttpResponse<String> r = new Browser().send(HttpRequest.newBuilder(signet.url("/authorize?client_id=nobody"))
                .header("X-Request-Id", "proxy-req-0001.abc_DEF"));

        ErrorPage page = ErrorPage.of(r);
        assertThat(page.reason()).isEqualTo("authorize.unknown_client");
        assertThat(page.correlationId()).isEqualTo("proxy-req-0001.abc_DEF");
        assertThat(r.headers().firstValue("X-Request-Id")).contains("proxy-req-0001.abc_DEF");
    }

    @Test
    void responseWhenIncomingIdMalformedThenReplaced() {
        HttpResponse<String> r = new Browser().send(HttpRequest.newBuilder(signet.url("/authorize?client_id=nobody"))
                .header("X-Request-Id", "evil\" injected=<script>"));

        String id = r.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).doesNotContain("evil");
        assertThat(ErrorPage.of(r).correlationId()).isEqualTo(id);
    }

    @Test
    void wellFormedWhenCheckedThenOnlySafeCharactersAndBoundedLength() {
        assertThat(RequestContext.wellFormed("abcdefgh")).isTrue();
        assertThat(RequestContext.wellFormed("4bf92f3577b34da6a3ce929d0e0e4736")).isTrue();
        assertThat(RequestContext.wellFormed("short")).isFalse();
        assertThat(RequestContext.wellFormed("a".repeat(65))).isFalse();
        assertThat(RequestContext.wellFormed("abc def gh")).isFalse();
        assertThat(RequestContext.wellFormed("abcdefgh\n{\"x\":1}")).isFalse();
    }
}
