package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.app.ConfigReloader;
import dev.signet.app.Signet;
import dev.signet.harness.RawHttp;
import dev.signet.harness.SignetHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Provider metadata and the JWK Set are serialised once and served as bytes (issue 16): each domain of
 * each tenant still gets its own document (custom domains have their own issuer and endpoints), a
 * reload serves the new configuration's document, and both carry a strong {@code ETag} that a
 * client's {@code If-None-Match} turns into a 304 (RFC 9110 §8.8.3, §13.1.2, §15.4.5).
 */
class PublishedDocumentsTest {

    static SignetHarness signet;
    static Path file;
    static Map<String, String> env;
    static int port;

    static String config(String customDomain) {
        return SignetHarness.server().replace("${PORT}", env.get("PORT")).replace("${DATA}", env.get("DATA")) + """
                tenants:
                  - name: default
                    connections:
                      - id: dev
                        kind: dev-unsafe
                  - name: acme
                    issuer: http://acme.test:%1$s
                    custom_domains: ["%2$s"]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """.formatted(env.get("PORT"), customDomain);
    }

    @BeforeAll
    static void start() throws Exception {
        file = Files.createTempDirectory("signet-documents").resolve("signet.yaml");
        env = new LinkedHashMap<>();
        env.put("PORT", String.valueOf(SignetHarness.freePort()));
        env.put("DATA", Files.createTempDirectory("signet-documents-data").toString());
        port = Integer.parseInt(env.get("PORT"));
        Files.writeString(file, config("http://login.acme.test:" + port + "/"));
        signet = SignetHarness.start(Files.readString(file), env);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static RawHttp.Response get(String host, String path, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>(extra);
        headers.put("Host", host);
        return RawHttp.get(port, path, headers);
    }

    static RawHttp.Response discovery(String host) {
        return get(host, "/.well-known/openid-configuration", Map.of());
    }

    static Optional<String> header(RawHttp.Response r, String name) {
        for (String line : r.head().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }

    @Test
    void discoveryWhenTenantsAndCustomDomainAskedInTurnThenEachDomainGetsItsOwnDocument() {
        String local = "http://localhost:" + port;
        String acme = "http://acme.test:" + port;
        String login = "http://login.acme.test:" + port;
        for (int round = 0; round < 2; round++) { // the second round is served from what the first built
            for (String[] domain : new String[][] {{"localhost:" + port, local}, {"acme.test:" + port, acme}, {"login.acme.test:" + port, login}}) {
                RawHttp.Response r = discovery(domain[0]);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.body()).contains("\"issuer\":\"" + domain[1] + "\"", "\"token_endpoint\":\"" + domain[1] + "/token\"",
                        "\"jwks_uri\":\"" + domain[1] + "/jwks\"");
                // RFC 8414 §3: the same document at the OAuth well-known path
                assertThat(get(domain[0], "/.well-known/oauth-authorization-server", Map.of()).body()).isEqualTo(r.body());
            }
        }
        assertThat(header(discovery("acme.test:" + port), "ETag")).isNotEqualTo(header(discovery("login.acme.test:" + port), "ETag"));
    }

    @Test
    void jwksWhenTwoTenantsThenEachItsOwnKeys() {
        RawHttp.Response def = get("localhost:" + port, "/jwks", Map.of());
        RawHttp.Response acme = get("acme.test:" + port, "/jwks", Map.of());
        assertThat(def.body()).contains("\"keys\"");
        assertThat(acme.body()).contains("\"keys\"").isNotEqualTo(def.body());
        // one tenant's domains share its keys
        assertThat(get("login.acme.test:" + port, "/jwks", Map.of()).body()).isEqualTo(acme.body());
        assertThat(header(acme, "ETag")).isNotEqualTo(header(def, "ETag"));
    }

    @Test
    void documentWhenIfNoneMatchNamesItsEtagThen304WithoutContent() {
        for (String path : new String[] {"/.well-known/openid-configuration", "/jwks"}) {
            RawHttp.Response full = get("localhost:" + port, path, Map.of());
            String etag = header(full, "ETag").orElseThrow();
            assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
            assertThat(header(full, "Cache-Control")).get().asString().startsWith("public, max-age=");
            assertThat(header(full, "Content-Type")).contains("application/json");

            for (String condition : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
                RawHttp.Response again = get("localhost:" + port, path, Map.of("If-None-Match", condition));
                assertThat(again.status()).as(path + " If-None-Match: " + condition).isEqualTo(304);
                assertThat(again.body()).isEmpty();
                assertThat(header(again, "ETag")).contains(etag);
                assertThat(header(again, "Cache-Control")).isEqualTo(header(full, "Cache-Control"));
                assertThat(header(again, "X-Request-Id")).isPresent();
            }
            RawHttp.Response stale = get("localhost:" + port, path, Map.of("If-None-Match", "\"stale\""));
            assertThat(stale.status()).isEqualTo(200);
            assertThat(stale.body()).isEqualTo(full.body());
            // another domain's tag is not this document's
            String acmeTag = header(get("acme.test:" + port, path, Map.of()), "ETag").orElseThrow();
            assertThat(get("localhost:" + port, path, Map.of("If-None-Match", acmeTag)).status()).isEqualTo(200);
        }
    }

    @Test
    void discoveryWhenReloadChangesTheCustomDomainThenItsNewDocumentIsServed() throws Exception {
        String host = "login.acme.test:" + port;
        String before = discovery(host).body();
        assertThat(before).contains("\"issuer\":\"http://login.acme.test:" + port + "\"");
        String etag = header(discovery(host), "ETag").orElseThrow();
        try {
            Files.writeString(file, config("http://login.acme.test:" + port + "/sso/"));
            ConfigReloader.Outcome outcome = signet.app().reloader().reload(Signet.configLoader(env), file, "test");
            assertThat(outcome.applied()).as(outcome.problems().toString()).isTrue();

            RawHttp.Response after = discovery(host);
            assertThat(after.body()).contains("\"issuer\":\"http://login.acme.test:" + port + "/sso\"",
                    "\"token_endpoint\":\"http://login.acme.test:" + port + "/sso/token\"");
            assertThat(header(after, "ETag")).isNotEqualTo(Optional.of(etag));
            assertThat(get(host, "/.well-known/openid-configuration", Map.of("If-None-Match", etag)).status()).isEqualTo(200);
        } finally {
            Files.writeString(file, config("http://login.acme.test:" + port + "/"));
            assertThat(signet.app().reloader().reload(Signet.configLoader(env), file, "test").applied()).isTrue();
        }
        assertThat(discovery(host).body()).isEqualTo(before);
    }
}
