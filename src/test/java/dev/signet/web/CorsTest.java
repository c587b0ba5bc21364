package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.RawHttp;
import dev.signet.harness.SignetHarness;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CORS on the running server ({@link Cors}; SpaCorsBrowserTest shows it in Chromium): the public documents answer any
 * origin; the token, revocation and userinfo endpoints answer only the origins the tenant's clients list in
 * {@code web_origins}, errors included; a preflight is answered 204, with the CORS headers only for such an origin and
 * one of the path's methods. A second tenant's web origin is nothing at the first tenant.
 */
class CorsTest {

    static final String SPA = "https://spa.example.com";
    static final String ACME_SPA = "https://spa.acme.example";
    static SignetHarness signet;
    static int port;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: spa
                        public: true
                        redirect_uris: ["https://spa.example.com/cb"]
                        web_origins: ["https://SPA.example.com:443"]
                      - id: service
                        secret: service-secret-0123456789
                        grant_types: [client_credentials]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                  - name: acme
                    issuer: "http://acme.test:${PORT}"
                    clients:
                      - id: spa
                        public: true
                        redirect_uris: ["https://spa.acme.example/cb"]
                        web_origins: ["https://spa.acme.example"]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """);
        port = signet.issuer().getPort();
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static RawHttp.Response send(String host, String method, String path, Map<String, String> headers, String body) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Host", host + ":" + port);
        return RawHttp.send(port, method, path, all, body);
    }

    static Optional<String> header(RawHttp.Response r, String name) {
        return r.header(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/jwks"})
    void publicDocumentWhenAnyOriginThenReadableByAnyOrigin(String path) {
        RawHttp.Response r = send("localhost", "GET", path, Map.of("Origin", "https://anyone.example"), "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(header(r, "Access-Control-Allow-Origin")).hasValue("*");
        assertThat(header(r, "Access-Control-Allow-Credentials")).isEmpty();

        RawHttp.Response pre = send("localhost", "OPTIONS", path, Map.of("Origin", "https://anyone.example",
                "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization"), "");
        assertThat(pre.status()).as(pre.all()).isEqualTo(204);
        assertThat(header(pre, "Access-Control-Allow-Origin")).hasValue("*");
        assertThat(header(pre, "Access-Control-Allow-Methods")).hasValue("GET");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/token", "/revoke", "/userinfo"})
    void preflightWhenWebOriginOfAClientThenAllowedWithMethodsAndHeaders(String path) {
        RawHttp.Response r = send("localhost", "OPTIONS", path, Map.of("Origin", SPA, "Access-Control-Request-Method", "POST",
                "Access-Control-Request-Headers", "authorization, content-type"), "");

        assertThat(r.status()).as(r.all()).isEqualTo(204);
        assertThat(header(r, "Access-Control-Allow-Origin")).as("the configured origin, canonical").hasValue(SPA);
        assertThat(header(r, "Access-Control-Allow-Methods")).hasValueSatisfying(m -> assertThat(m).contains("POST"));
        assertThat(header(r, "Access-Control-Allow-Headers")).hasValue("Authorization, Content-Type");
        assertThat(header(r, "Access-Control-Max-Age")).hasValue("600");
        assertThat(header(r, "Vary")).hasValue("Origin");
        assertThat(header(r, "Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void preflightWhenOriginUnknownOrMethodNotTakenOrOtherTenantsThenNoCorsHeaders() {
        RawHttp.Response stranger = send("localhost", "OPTIONS", "/token", Map.of("Origin", "https://evil.example",
                "Access-Control-Request-Method", "POST"), "");
        RawHttp.Response wrongMethod = send("localhost", "OPTIONS", "/token", Map.of("Origin", SPA,
                "Access-Control-Request-Method", "DELETE"), "");
        RawHttp.Response otherTenants = send("localhost", "OPTIONS", "/token", Map.of("Origin", ACME_SPA,
                "Access-Control-Request-Method", "POST"), "");
        RawHttp.Response atItsTenant = send("acme.test", "OPTIONS", "/token", Map.of("Origin", ACME_SPA,
                "Access-Control-Request-Method", "POST"), "");

        for (RawHttp.Response r : new RawHttp.Response[] {stranger, wrongMethod, otherTenants}) {
            assertThat(r.status()).as(r.all()).isEqualTo(204);
            assertThat(header(r, "Access-Control-Allow-Origin")).as(r.all()).isEmpty();
            assertThat(header(r, "Allow")).hasValue("POST, OPTIONS");
        }
        assertThat(header(atItsTenant, "Access-Control-Allow-Origin")).as("at its own tenant").hasValue(ACME_SPA);
    }

    @Test
    void tokenWhenWebOriginThenAnswerAndErrorReadableElseNot() {
        String basic = "Basic " + Base64.getEncoder().encodeToString("service:service-secret-0123456789".getBytes());
        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded", "Authorization", basic);
        Map<String, String> fromSpa = new HashMap<>(form);
        fromSpa.put("Origin", SPA);
        RawHttp.Response ok = send("localhost", "POST", "/token", fromSpa, "grant_type=client_credentials");
        assertThat(ok.status()).as(ok.all()).isEqualTo(200);
        assertThat(header(ok, "Access-Control-Allow-Origin")).hasValue(SPA);
        assertThat(header(ok, "Vary")).hasValue("Origin");

        fromSpa.put("Authorization", "Basic " + Base64.getEncoder().encodeToString("service:wrong-secret-0123456789".getBytes()));
        RawHttp.Response refused = send("localhost", "POST", "/token", fromSpa, "grant_type=client_credentials");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(header(refused, "Access-Control-Allow-Origin")).as("the error is readable too").hasValue(SPA);

        Map<String, String> fromStranger = new HashMap<>(form);
        fromStranger.put("Origin", "https://evil.example");
        RawHttp.Response stranger = send("localhost", "POST", "/token", fromStranger, "grant_type=client_credentials");
        assertThat(stranger.status()).isEqualTo(200);
        assertThat(header(stranger, "Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void userinfoWhenWebOriginThenErrorReadableWithItsChallenge() {
        RawHttp.Response r = send("localhost", "GET", "/userinfo", Map.of("Origin", SPA, "Authorization", "Bearer x"), "");
        assertThat(r.status()).isEqualTo(401);
        assertThat(header(r, "Access-Control-Allow-Origin")).hasValue(SPA);
        assertThat(header(r, "WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
    }

    @Test
    void introspectionWhenPreflightThenNotAnsweredForBrowsers() {
        RawHttp.Response r = send("localhost", "OPTIONS", "/introspect", Map.of("Origin", SPA, "Access-Control-Request-Method", "POST"), "");
        assertThat(r.status()).isEqualTo(405);
        assertThat(header(r, "Access-Control-Allow-Origin")).isEmpty();
    }
}
