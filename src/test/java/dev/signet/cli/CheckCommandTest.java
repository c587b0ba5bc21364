package dev.signet.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.signet.harness.SignetHarness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code signet check} against real upstreams: mock-oauth2-server (discovery auto) and WireMock
 * (discovery manual, so any discovery request would be seen). Exit codes: 0 all pass, 1 a problem,
 * 2 invalid configuration.
 */
class CheckCommandTest {

    static MockOAuth2Server oidc;
    static WireMockServer manual;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        oidc = new MockOAuth2Server();
        oidc.start();
        manual = new WireMockServer(options().dynamicPort());
        manual.start();
        manual.stubFor(get(urlPathEqualTo("/oauth/authorize")).willReturn(aResponse().withStatus(302).withHeader("Location", "/login")));
        manual.stubFor(post(urlPathEqualTo("/oauth/token")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_request\"}")));
        manual.stubFor(get(urlPathEqualTo("/oauth/jwks")).willReturn(okJson(
                new JWKSet(new RSAKeyGenerator(2048).keyID("k1").generate().toPublicJWK()).toString())));
        manual.stubFor(get(urlPathMatching("/broken/.*")).willReturn(aResponse().withStatus(404)));
        // an upstream whose metadata names another issuer than the one configured (config drift)
        manual.stubFor(get(urlPathEqualTo("/drift/.well-known/openid-configuration")).willReturn(okJson("""
                {"issuer": "https://login.drift.example/v2", "authorization_endpoint": "%1$s/oauth/authorize",
                 "token_endpoint": "%1$s/oauth/token", "jwks_uri": "%1$s/oauth/jwks",
                 "authorization_response_iss_parameter_supported": true}""".formatted(manual.baseUrl()))));
    }

    @AfterAll
    static void stop() {
        oidc.shutdown();
        manual.stop();
    }

    record Run(int exit, String out) {}

    static Run check(String yaml, String... flags) throws Exception {
        Path file = Files.createTempFile(dir, "signet", ".yaml");
        Files.writeString(file, yaml);
        String[] args = new String[flags.length + 3];
        args[0] = "check";
        args[1] = "--config";
        args[2] = file.toString();
        System.arraycopy(flags, 0, args, 3, flags.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    static String tenant(String connection) {
        return """
                tenants:
                  - name: default
                    custom_domains: ["https://login.example.com/auth"]
                    connections:
                """ + connection.indent(6);
    }

    static String oidcAuto(String issuer) {
        return """
                - id: corp
                  kind: oidc
                  issuer: %s
                  client_id: signet
                  client_secret: s3cret
                  discovery: auto
                """.formatted(issuer);
    }

    @Test
    void checkWhenUpstreamMatchesThenExit0AndEveryDomainAndCheckListed() throws Exception {
        Run r = check(tenant(oidcAuto(oidc.issuerUrl("good").toString())));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("all checks passed").containsPattern("default/corp +discovery +ok")
                .containsPattern("default/corp +issuer +ok").containsPattern("default/corp +jwks +ok")
                .containsPattern("default/corp +authorization +ok").containsPattern("default/corp +iss_parameter +note")
                .containsPattern("https://login.example.com/auth +discovery +ok").containsPattern("http://localhost:8080 +callbacks +ok");
    }

    @Test
    void checkWhenIssuerDiffersThenProblemWithBothValuesAndExit1() throws Exception {
        String configured = manual.baseUrl() + "/drift";
        Run r = check(tenant(oidcAuto(configured)));
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).containsPattern("default/corp +issuer +PROBLEM").contains("expected: " + configured)
                .contains("actual:   https://login.drift.example/v2")
                .containsPattern("iss_parameter +note +authorization_response_iss_parameter_supported: true");

        Run json = check(tenant(oidcAuto(configured)), "--json");
        JsonNode doc = JsonMapper.builder().build().readTree(json.out());
        assertThat(doc.path("ok").booleanValue()).isFalse();
        JsonNode issuer = null;
        for (JsonNode n : doc.path("results")) {
            if (n.path("check").asString().equals("issuer")) {
                issuer = n;
            }
        }
        assertThat(issuer).isNotNull();
        assertThat(issuer.path("status").asString()).isEqualTo("problem");
        assertThat(issuer.path("expected").asString()).isEqualTo(configured);
        assertThat(issuer.path("actual").asString()).isEqualTo("https://login.drift.example/v2");
    }

    @Test
    void checkWhenDiscoveryManualThenNoDiscoveryRequestAndEndpointsAnswer() throws Exception {
        manual.resetRequests();
        String base = manual.baseUrl();
        Run r = check(tenant("""
                - id: legacy
                  kind: oidc
                  issuer: %s
                  client_id: signet
                  client_secret: s3cret
                  discovery: manual
                  authorization_endpoint: %s/oauth/authorize
                  token_endpoint: %s/oauth/token
                  jwks_uri: %s/oauth/jwks
                  iss_parameter_supported: false
                """.formatted(base, base, base, base)));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("default/legacy +discovery +ok +discovery: manual")
                .containsPattern("default/legacy +jwks +ok").containsPattern("default/legacy +token +ok")
                .containsPattern("default/legacy +authorization +ok");
        manual.verify(0, getRequestedFor(urlPathMatching(".*well-known.*")));
        manual.verify(1, getRequestedFor(urlPathEqualTo("/oauth/authorize")));
    }

    @Test
    void checkWhenAuthorizationEndpointIs404ThenProblem() throws Exception {
        String base = manual.baseUrl();
        Run r = check(tenant("""
                - id: moved
                  kind: oidc
                  issuer: %s
                  client_id: signet
                  client_secret: s3cret
                  discovery: manual
                  authorization_endpoint: %s/broken/authorize
                  token_endpoint: %s/oauth/token
                  jwks_uri: %s/oauth/jwks
                  iss_parameter_supported: false
                """.formatted(base, base, base, base)));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("default/moved +authorization +PROBLEM").contains("expected: 200 or 3xx")
                .contains("actual:   404");
    }

    @Test
    void checkWhenDiscoveryDownThenProblemAndExit1() throws Exception {
        int closed = SignetHarness.freePort();
        Run r = check(tenant(oidcAuto("http://127.0.0.1:" + closed + "/gone")));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("default/corp +discovery +PROBLEM").contains("/gone/.well-known/openid-configuration");
    }

    @Test
    void checkWhenOfflineThenNoUpstreamContacted() throws Exception {
        manual.resetRequests();
        Run r = check(tenant(oidcAuto(manual.baseUrl() + "/never")), "--offline");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("--offline");
        manual.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void checkWhenConfigInvalidThenEveryProblemWithItsPathAndExit2() throws Exception {
        Run r = check("""
                tenants:
                  - name: default
                    custom_domains: ["ftp://x.example"]
                    branding: {primary_color: red}
                    connections:
                      - id: corp
                        kind: oidc
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("tenants[0].custom_domains[0]", "tenants[0].branding.primary_color", "tenants[0].connections[0].issuer",
                "tenants[0].connections[0].discovery");
    }

    @Test
    void checkWhenBoundsDoNotFitTheHeapThenTheProblemServeWouldRefuseAndExit2() throws Exception {
        // more than any test JVM's heap could hold (app.MemoryBudget)
        Run r = check("""
                server: {verified_token_cache: 1000000}
                tenants:
                  - name: default
                    connections: [{id: dev, kind: dev-unsafe}]
                """);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("server.verified_token_cache").contains("1000000 tokens").contains("(-Xmx)");
    }
}
