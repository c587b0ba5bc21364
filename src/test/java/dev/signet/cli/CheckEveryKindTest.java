package dev.signet.cli;

import dev.signet.connector.TestKinds;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.signet.connector.fake.AppleFake;
import dev.signet.connector.fake.EntraFake;
import dev.signet.connector.fake.GitHubFake;
import dev.signet.connector.fake.MockOidc;
import dev.signet.connector.fake.OAuth2Fake;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code signet check} for every connection kind, each against a fake of its provider: the checks
 * a kind supports come from the kind itself ({@code connector.Preflighted}), so the presets (google,
 * entra, okta, gitlab) get discovery, issuer, JWKS, token and authorization checks like plain
 * {@code oidc}, github and oauth2 their endpoints, and a provider whose metadata names another issuer
 * than the kind expects is a problem before the deploy (postmortem 001), not at the first callback.
 */
class CheckEveryKindTest {

    static MockOidc oidc;
    static EntraFake entra;
    static AppleFake apple;
    static GitHubFake github;
    static OAuth2Fake oauth2;
    static WireMockServer drift;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() {
        oidc = new MockOidc("google", "okta", "gitlab");
        entra = new EntraFake();
        apple = new AppleFake();
        github = new GitHubFake();
        oauth2 = new OAuth2Fake();
        drift = new WireMockServer(options().dynamicPort());
        drift.start();
        // a provider that moved: its metadata names another issuer than the one the kind expects
        for (String p : new String[] {"/google", "/okta", "/gitlab", "/apple", "/entra/" + EntraFakeTenant.ID + "/v2.0"}) {
            drift.stubFor(get(urlPathEqualTo(p + "/.well-known/openid-configuration")).willReturn(okJson("""
                    {"issuer": "https://moved.example%1$s", "authorization_endpoint": "%2$s/authorize",
                     "token_endpoint": "%2$s/token", "jwks_uri": "%2$s/jwks"}""".formatted(p, oidc.issuer("google")))));
        }
        drift.stubFor(get(anyUrl()).atPriority(10).willReturn(aResponse().withStatus(404)));
    }

    /** A directory tenant id the Entra fake serves. */
    static final class EntraFakeTenant {
        static final String ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    }

    @AfterAll
    static void stop() {
        oidc.close();
        entra.close();
        apple.close();
        github.close();
        oauth2.close();
        drift.stop();
    }

    record Run(int exit, String out) {}

    static Run check(String connection) throws Exception {
        Path file = Files.createTempFile(dir, "signet", ".yaml");
        Files.writeString(file, """
                tenants:
                  - name: default
                    connections:
                """ + connection.stripIndent().indent(6));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"check", "--config", file.toString()}, Map.of(), TestKinds.REGISTRY, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    static void assertDiscoveryChecksPass(Run r, String id) {
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("default/" + id + " +discovery +ok +http").containsPattern("default/" + id + " +issuer +ok")
                .containsPattern("default/" + id + " +iss_parameter +note").containsPattern("default/" + id + " +jwks +ok +\\d+ key")
                .containsPattern("default/" + id + " +token +ok").containsPattern("default/" + id + " +authorization +ok")
                .doesNotContain("has no discovery check").doesNotContain("declares no live checks");
    }

    static void assertIssuerProblem(Run r, String id, String expected, String actual) {
        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        assertThat(r.out()).containsPattern("default/" + id + " +issuer +PROBLEM").contains("expected: " + expected)
                .contains("actual:   " + actual);
    }

    @Test
    void googleThenDiscoveryIssuerJwksTokenAndAuthorizationChecked() throws Exception {
        assertDiscoveryChecksPass(check("""
                - id: g
                  kind: google
                  client_id: signet
                  client_secret: upstream-secret
                  unsafe_endpoint_base: %s
                """.formatted(oidc.issuer("google"))), "g");
    }

    @Test
    void googleWhenMetadataNamesAnotherIssuerThenProblemShowingBoth() throws Exception {
        assertIssuerProblem(check("""
                - id: g
                  kind: google
                  client_id: signet
                  client_secret: upstream-secret
                  unsafe_endpoint_base: %s/google
                """.formatted(drift.baseUrl())), "g", drift.baseUrl() + "/google", "https://moved.example/google");
    }

    @Test
    void oktaThenDiscoveryIssuerJwksTokenAndAuthorizationChecked() throws Exception {
        assertDiscoveryChecksPass(check("""
                - id: o
                  kind: okta
                  domain: example.okta.com
                  client_id: signet
                  client_secret: upstream-secret
                  unsafe_endpoint_base: %s
                """.formatted(oidc.issuer("okta"))), "o");
    }

    @Test
    void oktaWhenMetadataNamesAnotherIssuerThenProblem() throws Exception {
        Run r = check("""
                - id: o
                  kind: okta
                  domain: example.okta.com
                  client_id: signet
                  client_secret: upstream-secret
                  unsafe_endpoint_base: %s/okta
                """.formatted(drift.baseUrl()));
        assertIssuerProblem(r, "o", drift.baseUrl() + "/okta", "https://moved.example/okta");
    }

    @Test
    void gitlabThenDiscoveryIssuerJwksTokenAndAuthorizationChecked() throws Exception {
        assertDiscoveryChecksPass(check("""
                - id: gl
                  kind: gitlab
                  base_url: %s
                  client_id: signet
                  client_secret: upstream-secret
                """.formatted(oidc.issuer("gitlab"))), "gl");
    }

    @Test
    void gitlabWhenMetadataNamesAnotherIssuerThenProblem() throws Exception {
        assertIssuerProblem(check("""
                - id: gl
                  kind: gitlab
                  base_url: %s/gitlab
                  client_id: signet
                  client_secret: upstream-secret
                """.formatted(drift.baseUrl())), "gl", drift.baseUrl() + "/gitlab", "https://moved.example/gitlab");
    }

    @Test
    void entraThenDiscoveryIssuerJwksTokenAndAuthorizationChecked() throws Exception {
        assertDiscoveryChecksPass(check("""
                - id: e
                  kind: entra
                  tenant: %s
                  client_id: signet
                  client_secret: upstream-secret
                  unsafe_endpoint_base: %s
                """.formatted(EntraFakeTenant.ID, entra.base())), "e");
    }

    @Test
    void entraWhenMetadataNamesAnotherIssuerThenProblem() throws Exception {
        assertIssuerProblem(check("""
                - id: e
                  kind: entra
                  tenant: %s
                  client_id: signet
                  client_secret: upstream-secret
                  unsafe_endpoint_base: %s/entra
                """.formatted(EntraFakeTenant.ID, drift.baseUrl())), "e",
                drift.baseUrl() + "/entra/" + EntraFakeTenant.ID + "/v2.0", "https://moved.example/entra/" + EntraFakeTenant.ID + "/v2.0");
    }

    @Test
    void githubThenTokenApiAndAuthorizationCheckedAndPresetIssuerShown() throws Exception {
        Run r = check("""
                - id: gh
                  kind: github
                  client_id: signet
                  client_secret: upstream-secret
                  unsafe_endpoint_base: %s
                """.formatted(github.base()));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("default/gh +discovery +ok +github has no discovery")
                .containsPattern("default/gh +token +ok").containsPattern("default/gh +api +ok .*/user answered 401")
                .containsPattern("default/gh +issuer +note +preset issuer https://github.com/login/oauth")
                .containsPattern("default/gh +authorization +ok");
    }

    @Test
    void githubWhenEndpointsGoneThenProblems() throws Exception {
        Run r = check("""
                - id: gh
                  kind: github
                  client_id: signet
                  client_secret: upstream-secret
                  unsafe_endpoint_base: %s/nothing-here
                """.formatted(drift.baseUrl()));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("default/gh +api +PROBLEM").containsPattern("default/gh +token +PROBLEM");
    }

    @Test
    void oauth2ThenTokenUserinfoAndAuthorizationChecked() throws Exception {
        Run r = check("""
                - id: acme
                  kind: oauth2
                  client_id: signet
                  client_secret: upstream-secret
                  authorization_endpoint: %1$s/authorize
                  token_endpoint: %1$s/token
                  userinfo_endpoint: %1$s/api/me
                  iss_parameter_supported: false
                  userinfo_mapping: {subject: /data/id}
                """.formatted(oauth2.base()));
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("default/acme +discovery +ok +oauth2 has no discovery")
                .containsPattern("default/acme +iss_parameter +note +configured iss_parameter_supported: false")
                .containsPattern("default/acme +token +ok").containsPattern("default/acme +userinfo +ok")
                .containsPattern("default/acme +authorization +ok");
    }

    @Test
    void oauth2WhenUserinfoGoneThenProblem() throws Exception {
        Run r = check("""
                - id: acme
                  kind: oauth2
                  client_id: signet
                  client_secret: upstream-secret
                  authorization_endpoint: %1$s/authorize
                  token_endpoint: %1$s/token
                  userinfo_endpoint: %2$s/gone
                  iss_parameter_supported: false
                  userinfo_mapping: {subject: /data/id}
                """.formatted(oauth2.base(), drift.baseUrl()));
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).containsPattern("default/acme +userinfo +PROBLEM").contains("actual:   404");
    }

    /** An apple connection at {@code base}, its key inline as a YAML block (from ${VAR} in real configurations). */
    static String apple(String base) {
        return """
                - id: a
                  kind: apple
                  client_id: %s
                  team_id: %s
                  key_id: %s
                  unsafe_endpoint_base: %s
                  private_key: |
                """.formatted(AppleFake.CLIENT_ID, AppleFake.TEAM_ID, AppleFake.KEY_ID, base) + apple.privateKeyPem().indent(4);
    }

    @Test
    void appleThenDiscoveryIssuerJwksTokenAndAuthorizationChecked() throws Exception {
        assertDiscoveryChecksPass(check(apple(apple.base())), "a");
    }

    @Test
    void appleWhenMetadataNamesAnotherIssuerThenProblem() throws Exception {
        assertIssuerProblem(check(apple(drift.baseUrl() + "/apple")), "a", drift.baseUrl() + "/apple", "https://moved.example/apple");
    }

    @Test
    void devThenSkippedAsServedBySignetItself() throws Exception {
        Run r = check("""
                - id: dev
                  kind: dev-unsafe
                """);
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).containsPattern("default/dev +all +skipped +dev-unsafe is served by Signet itself");
    }
}
