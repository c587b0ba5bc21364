package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.SignetHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Limits per client id count every request naming a configured client, from all addresses
 * together; ids the tenant does not have are never keyed (README "Rate limits").
 */
class RateLimitPerClientTest {

    static SignetHarness signet;

    static final String CONFIG = """
            server:
              host: 127.0.0.1
              port: ${PORT}
              trusted_proxies: [127.0.0.1]
            data:
              dir: ${DATA}
            rate_limits:
              per_client: {token: 3/1m, authorize: 3/1m}
            tenants:
              - name: default
                clients:
                  - {id: one, secret: right-secret-0123456789, grant_types: [authorization_code, client_credentials], redirect_uris: ["http://localhost:9/cb"]}
                  - {id: two, secret: right-secret-0123456789, grant_types: [authorization_code, client_credentials], redirect_uris: ["http://localhost:9/cb"]}
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(CONFIG);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static HttpResponse<String> token(String client, String from) {
        String basic = Base64.getEncoder().encodeToString((client + ":right-secret-0123456789").getBytes(StandardCharsets.UTF_8));
        return new Browser().send(HttpRequest.newBuilder(signet.url("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Authorization", "Basic " + basic)
                .header("X-Forwarded-For", from).POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
    }

    static HttpResponse<String> authorize(String client, String from) {
        return new Browser().send(HttpRequest.newBuilder(signet.url("/authorize?response_type=code&client_id=" + client
                + "&redirect_uri=http%3A%2F%2Flocalhost%3A9%2Fcb&scope=openid&state=s&nonce=n")).header("X-Forwarded-For", from).GET());
    }

    @Test
    void tokenWhenOneClientIsNamedFromManyAddressesThenRefusedBeyondItsLimitAndOtherClientsServed() {
        for (int i = 1; i <= 3; i++) {
            assertThat(token("one", "198.51.100." + i).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> refused = token("one", "198.51.100.4");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("20");
        assertThat(refused.body()).contains("temporarily_unavailable");
        assertThat(token("two", "198.51.100.4").statusCode()).isEqualTo(200);
    }

    @Test
    void authorizeWhenOneClientIsNamedFromManyAddressesThenRefusedButUnknownClientIdsAreNotKeyed() {
        for (int i = 1; i <= 3; i++) {
            assertThat(authorize("one", "192.0.2." + i).statusCode()).isEqualTo(200);
        }

        assertThat(ErrorPage.of(authorize("one", "192.0.2.4")).reason()).isEqualTo("rate_limited");
        for (int i = 1; i <= 5; i++) {
            assertThat(ErrorPage.of(authorize("nobody", "192.0.2." + (10 + i))).reason()).isEqualTo("authorize.unknown_client");
        }
    }
}
