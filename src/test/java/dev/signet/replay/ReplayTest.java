package dev.signet.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.app.Signet;
import dev.signet.cli.Cli;
import dev.signet.config.SignetConfig;
import dev.signet.connector.ConnectorContract.Person;
import dev.signet.connector.ConnectorKinds;
import dev.signet.connector.TestKinds;
import dev.signet.connector.fake.GitHubFake;
import dev.signet.connector.oidc.OidcSettings;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.store.CorpusEntry;
import dev.signet.store.jdbc.JdbcCorpus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code signet replay} (issue 15) through real code: sign-ins through the running server against
 * mock-oauth2-server and the GitHub fake are recorded, exported with {@code signet corpus export},
 * and replayed with the CLI entry point against a "new build" (a stricter reader registered with
 * {@link ConnectorKinds#withReader}) or a changed configuration.
 */
class ReplayTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String APP_SECRET = "app-secret-0123456789";
    static MockOAuth2Server upstream;
    static GitHubFake github;
    static SignetHarness signet;
    static Map<String, String> env;

    static final String CONFIG = SignetHarness.server() + """
            tenants:
              - name: default
                issuer: http://localhost:${PORT}
                clients:
                  - id: app
                    secret: ${APP_SECRET}
                    redirect_uris: [http://localhost:9/cb]
                connections:
                  - id: corp
                    kind: oidc
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret-4242
                    discovery: auto
                  - id: picky
                    kind: oidc
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret-4242
                    discovery: auto
                    claims:
                      required: [email_verified]
                  - id: gh
                    kind: github
                    client_id: signet
                    client_secret: upstream-secret
                    unsafe_endpoint_base: ${GITHUB}
                  - id: gh-org
                    kind: github
                    client_id: signet
                    client_secret: upstream-secret
                    unsafe_endpoint_base: ${GITHUB}
                    allowed_organizations: [acme]
              - name: second
                issuer: http://127.0.0.1:${PORT}
                connections:
                  - id: corp
                    kind: oidc
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret-4242
                    discovery: auto
            """;

    @BeforeAll
    static void start() {
        upstream = new MockOAuth2Server();
        upstream.start();
        github = new GitHubFake();
        env = new HashMap<>(Map.of("APP_SECRET", APP_SECRET, "UPSTREAM", upstream.issuerUrl("corp").toString(), "GITHUB", github.base()));
        signet = SignetHarness.start(CONFIG, env);
        env.put("PORT", String.valueOf(signet.issuer().getPort()));
        env.put("DATA", signet.dataDir().toString());
    }

    @AfterAll
    static void stop() {
        signet.close();
        github.close();
        upstream.shutdown();
    }

    // ------------------------------------------------------------------------------------------ the sign-ins recorded

    /** One sign-in through mock-oauth2-server with {@code claims}; the id of the exchange it recorded. */
    static String signInCorp(Map<String, Object> claims) {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(app().authorize("openid email profile", Map.of()).url());
        URI toUpstream = Browser.location(browser.get(Browser.link(page.body(), "/signin/corp?")));
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "sub-" + System.nanoTime(), "JWT", List.of("signet"), claims, 3600));
        HttpResponse<String> after = browser.get(Browser.location(browser.get(toUpstream)));
        assertThat(Browser.query(Browser.location(after))).as(after.body()).containsKey("code");
        return stored("default", "corp").getLast().id();
    }

    /** One sign-in through the GitHub fake (which sends RFC 9207 iss); the id of the exchange it recorded. */
    static String signInGitHub(String githubId) {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(app().authorize("openid email", Map.of()).url());
        URI toGitHub = Browser.location(browser.get(Browser.link(page.body(), "/signin/gh?")));
        github.nextSignIn(new Person(githubId, "octo" + githubId + "@example.com", true, "Octo " + githubId), GitHubFake.none());
        HttpResponse<String> after = browser.get(Browser.location(browser.get(toGitHub)));
        assertThat(Browser.query(Browser.location(after))).as(after.body()).containsKey("code");
        return stored("default", "gh").getLast().id();
    }

    /** One sign-in through {@code connection} (a GitHub one) for a user in {@code memberships}; the response to the callback. */
    static HttpResponse<String> signInGitHub(String connection, String githubId, GitHubFake.Memberships memberships) {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(app().authorize("openid email", Map.of()).url());
        URI toGitHub = Browser.location(browser.get(Browser.link(page.body(), "/signin/" + connection + "?")));
        github.nextSignIn(new Person(githubId, "octo" + githubId + "@example.com", true, "Octo " + githubId), memberships);
        return browser.get(Browser.location(browser.get(toGitHub)));
    }

    static RelyingParty app() {
        return new RelyingParty(signet, "app", Optional.of(APP_SECRET), URI.create("http://localhost:9/cb"));
    }

    static List<CorpusEntry> stored(String tenant, String connection) {
        try (Signet.Offline offline = Signet.offline(config(), Clock.systemUTC())) {
            return offline.database().read(tx -> new JdbcCorpus().list(tx, tenant, Optional.of(connection)));
        }
    }

    static SignetConfig config() {
        return Signet.configLoader(env, TestKinds.REGISTRY).parse(CONFIG, "test.yaml");
    }

    // ------------------------------------------------------------------------------------------ the command line

    record Run(int status, String out, String err) {}

    static Run cli(ConnectorKinds kinds, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args, env, kinds, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Path export(Path dir, String connection) throws Exception {
        Path config = Files.writeString(dir.resolve("signet.yaml"), CONFIG);
        Path out = dir.resolve("corpus-" + connection + ".json");
        Run run = cli(TestKinds.REGISTRY, "corpus", "export", "--config", config.toString(), "--connection", connection, "--out", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        return out;
    }

    static Path configFile(Path dir, String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name), yaml);
    }

    /** The production kinds as the tests load them, except that {@code oidc} connections now require {@code email_verified}. */
    static ConnectorKinds newBuildRequiringEmailVerified() {
        return TestKinds.REGISTRY.withReader("oidc", (node, server) -> {
            OidcSettings o = OidcSettings.read(node);
            return new OidcSettings(o.issuer(), o.clientId(), o.clientSecret(), o.discovery(), o.endpoints(), o.scopes(), o.timeout(),
                    o.secretInForm(), o.requireIss(), o.claims().requiring(List.of("email_verified")), o.extraAuthorizeParams());
        });
    }

    // ------------------------------------------------------------------------------------------ the cases

    /** Postmortem 000 (April 10): a build whose reader newly requires a field the provider never sent. */
    @Test
    void replayWhenNewBuildRequiresAFieldTheProviderOmitsThenRegressionNamesFieldAndConnection(@TempDir Path dir) throws Exception {
        String omits = signInCorp(Map.of("email", "jane@corp.example")); // no email_verified
        String sends = signInCorp(Map.of("email", "john@corp.example", "email_verified", true));
        Path corpus = export(dir, "corp");
        Path config = configFile(dir, "signet.yaml", CONFIG);

        Run before = cli(TestKinds.REGISTRY, "replay", "--corpus", corpus.toString(), "--config", config.toString());
        assertThat(before.status()).as(before.out() + before.err()).isZero();
        assertThat(before.out()).contains("0 regression(s)");

        Run after = cli(newBuildRequiringEmailVerified(), "replay", "--corpus", corpus.toString(), "--config", config.toString());

        assertThat(after.status()).as(after.out() + after.err()).isEqualTo(1);
        assertThat(after.out()).contains("corp " + omits + " outcome: ok -> upstream.field_missing")
                .contains("required field 'email_verified' is missing").contains("connection 'corp'")
                .doesNotContain(sends + " outcome");
    }

    /** Postmortem 001 (April 9): GitHub's callbacks carry iss; a configuration expecting another issuer refuses every one. */
    @Test
    void replayWhenGitHubIssuerWrongThenEverySignInNewlyRejectedWithIssuerMismatch(@TempDir Path dir) throws Exception {
        String first = signInGitHub("4201" + (System.nanoTime() % 1000));
        String second = signInGitHub("977" + (System.nanoTime() % 1000));
        Path corpus = export(dir, "gh");
        int exchanges = JSON.readTree(Files.readString(corpus)).path("connections").get(0).path("exchanges").size();
        assertThat(JSON.readTree(Files.readString(corpus)).toString()).contains("\"iss\":\"https://github.com/login/oauth\"");

        // offline: the same settings with GitHub's endpoints at a port nobody answers replay the same
        Path same = configFile(dir, "same.yaml", CONFIG.replace("unsafe_endpoint_base: ${GITHUB}", "unsafe_endpoint_base: http://127.0.0.1:9"));
        Run unchanged = cli(TestKinds.REGISTRY, "replay", "--corpus", corpus.toString(), "--config", same.toString(), "--connection", "gh");
        assertThat(unchanged.status()).as(unchanged.out() + unchanged.err()).isZero();
        assertThat(unchanged.out()).containsPattern("gh\\s+github\\s+" + exchanges + "\\s+" + exchanges + "\\s+0\\s");

        Path wrong = configFile(dir, "wrong.yaml", CONFIG.replace("unsafe_endpoint_base: ${GITHUB}",
                "unsafe_endpoint_base: ${GITHUB}\n        host: github.example.com"));
        Run run = cli(TestKinds.REGISTRY, "replay", "--corpus", corpus.toString(), "--config", wrong.toString());

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).containsPattern("gh\\s+github\\s+" + exchanges + "\\s+0\\s+" + exchanges + "\\s")
                .contains("gh " + first + " outcome: ok -> upstream.issuer_mismatch")
                .contains("gh " + second + " outcome: ok -> upstream.issuer_mismatch")
                .contains("expected 'https://github.example.com/login/oauth', received 'https://github.com/login/oauth'")
                .contains("when recorded the connection expected issuer 'https://github.com/login/oauth' (iss required: false)");
    }

    /** A configuration change that maps another claim is reported with the field and old -> new values. */
    @Test
    void replayWhenClaimMappingChangedThenMappedClaimReportedWithOldAndNew(@TempDir Path dir) throws Exception {
        String id = signInCorp(Map.of("email", "mapped@corp.example", "email_verified", true));
        Path changed = configFile(dir, "changed.yaml", CONFIG.replaceFirst("discovery: auto\n",
                "discovery: auto\n        claims: {email_verified: xms_edov}\n"));

        Run run = cli(TestKinds.REGISTRY, "replay", "--config", changed.toString(), "--tenant", "default", "--connection", "corp",
                "--format", "json");

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
        JsonNode report = JSON.readTree(run.out()).get(0);
        assertThat(report.path("format").asString()).isEqualTo("signet-replay/1");
        assertThat(report.path("connections").get(0).path("regressions").asInt()).isPositive();
        assertThat(report.path("connections").get(0).has("newly_accepted")).isTrue();
        JsonNode mine = null;
        for (JsonNode d : report.path("regressions")) {
            if (d.path("exchange").asString().equals(id)) {
                mine = d;
            }
        }
        assertThat(mine).as(run.out()).isNotNull();
        assertThat(mine.path("connection").asString()).isEqualTo("corp");
        assertThat(mine.path("field").asString()).isEqualTo("email_verified");
        assertThat(mine.path("old").asString()).isEqualTo("true");
        assertThat(mine.path("now").asString()).isEqualTo("false");
    }

    /** --tenant replays that tenant's exchanges only: a connection of the same id broken in another tenant does not count. */
    @Test
    void replayWhenTenantGivenThenOnlyThatTenantsExchanges(@TempDir Path dir) throws Exception {
        String id = signInCorp(Map.of("email", "wall@corp.example", "email_verified", true));
        CorpusEntry recorded = stored("default", "corp").getLast();
        // the same real exchange, also in tenant second (a second tenant's sign-ins through its own corp)
        String copy = "second-" + System.nanoTime();
        try (Signet.Offline offline = Signet.offline(config(), Clock.systemUTC())) {
            offline.database().write(tx -> {
                new JdbcCorpus().add(tx, new CorpusEntry(copy, "second", "corp", Instant.now(), recorded.outcome(), recorded.entry()), 200);
                return null;
            });
        }
        int defaults = stored("default", "corp").size();
        int seconds = stored("second", "corp").size();
        // tenant second's corp now expects another issuer; default's is unchanged
        int at = CONFIG.indexOf("- name: second");
        Path config = configFile(dir, "walls.yaml", CONFIG.substring(0, at)
                + CONFIG.substring(at).replace("issuer: ${UPSTREAM}", "issuer: ${UPSTREAM}/elsewhere"));

        Run mine = cli(TestKinds.REGISTRY, "replay", "--config", config.toString(), "--tenant", "default", "--connection", "corp");
        Run theirs = cli(TestKinds.REGISTRY, "replay", "--config", config.toString(), "--tenant", "second");

        assertThat(mine.status()).as(mine.out() + mine.err()).isZero();
        assertThat(mine.out()).contains("tenant default: " + defaults + " exchange(s) replayed, 0 regression(s)").doesNotContain(copy)
                .doesNotContain("tenant second");
        assertThat(theirs.status()).as(theirs.out() + theirs.err()).isEqualTo(1);
        assertThat(theirs.out()).contains("tenant second: " + seconds + " exchange(s) replayed").contains("corp " + copy + " outcome: ok -> ")
                .doesNotContain(id).doesNotContain("tenant default");
    }

    /**
     * Replay at corpus scale: one real OIDC exchange and one real GitHub exchange, each copied
     * {@code signet.replay.bench} / 2 times (default 1,000 in all; README "Upgrading safely" quotes a
     * run with 10,000), replay with every exchange unchanged: no state leaks from one exchange to the
     * next (keys made once, a fresh connector each). The time is printed, never asserted.
     */
    @Test
    void replayWhenThousandsOfExchangesThenAllUnchanged(@TempDir Path dir) throws Exception {
        signInCorp(Map.of("email", "bench@corp.example", "email_verified", true));
        signInGitHub("31337");
        int total = Integer.getInteger("signet.replay.bench", 1000);
        JsonNode oidc = JSON.readTree(stored("default", "corp").getLast().entry());
        JsonNode gh = JSON.readTree(stored("default", "gh").getLast().entry());
        var root = JSON.createObjectNode().put("format", "signet-corpus/2").put("tenant", "default");
        var connections = root.putArray("connections");
        for (JsonNode sample : List.of(oidc, gh)) {
            var c = connections.addObject().put("id", sample.path("connection").asString()).put("kind", sample.path("kind").asString());
            var exchanges = c.putArray("exchanges");
            for (int i = 0; i < total / 2; i++) {
                exchanges.add(((tools.jackson.databind.node.ObjectNode) sample.deepCopy()).put("id", "bench-" + i));
            }
        }
        Path corpus = Files.writeString(dir.resolve("bench.json"), JSON.writeValueAsString(root));
        Path config = configFile(dir, "signet.yaml", CONFIG);

        long cpu = processCpuNanos();
        long start = System.nanoTime();
        Run run = cli(TestKinds.REGISTRY, "replay", "--corpus", corpus.toString(), "--config", config.toString());
        long ms = (System.nanoTime() - start) / 1_000_000;
        long cpuMs = (processCpuNanos() - cpu) / 1_000_000;

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("tenant default: " + total + " exchange(s) replayed, 0 regression(s)")
                .containsPattern("corp\\s+oidc\\s+" + total / 2 + "\\s+" + total / 2 + "\\s")
                .containsPattern("gh\\s+github\\s+" + total / 2 + "\\s+" + total / 2 + "\\s");
        System.out.println("replay of " + total + " exchanges (half oidc, half github): " + ms + " ms wall, " + cpuMs
                + " ms process CPU (the server idle), corpus " + Files.size(corpus) / total + " bytes per exchange (stored: oidc "
                + stored("default", "corp").getLast().entry().length() + " B, github " + stored("default", "gh").getLast().entry().length()
                + " B)");
    }

    /** The Okta outage: a build or configuration that authenticates Signet's client another way at the token endpoint. */
    @Test
    void replayWhenClientAuthenticationChangedThenReportedWithOldAndNew(@TempDir Path dir) throws Exception {
        String id = signInCorp(Map.of("email", "auth@corp.example", "email_verified", true));
        Path changed = configFile(dir, "post.yaml", CONFIG.replaceFirst("discovery: auto\n",
                "discovery: auto\n        token_endpoint_auth_method: client_secret_post\n"));

        Run run = cli(TestKinds.REGISTRY, "replay", "--config", changed.toString(), "--tenant", "default", "--connection", "corp");

        assertThat(run.status()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("corp " + id + " client_auth (token endpoint): client_secret_basic -> client_secret_post");
    }

    /** A refusal the current configuration would accept is reported, and counts unless --allow-newly-accepted. */
    @Test
    void replayWhenRefusalNowAcceptedThenNewlyAcceptedCountsUnlessAllowed(@TempDir Path dir) throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.get(app().authorize("openid email", Map.of()).url());
        URI toUpstream = Browser.location(browser.get(Browser.link(page.body(), "/signin/picky?")));
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", "sub-" + System.nanoTime(), "JWT", List.of("signet"),
                Map.of("email", "nov@corp.example"), 3600));
        HttpResponse<String> refused = browser.get(Browser.location(browser.get(toUpstream)));
        assertThat(dev.signet.harness.ErrorPage.of(refused).reason()).isEqualTo("upstream.field_missing"); // claims.required, live
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> stored("default", "picky").stream()
                .anyMatch(e -> e.outcome().equals("upstream.field_missing")));
        String id = stored("default", "picky").stream().filter(e -> e.outcome().equals("upstream.field_missing")).toList().getLast().id();
        Path loose = configFile(dir, "loose.yaml", CONFIG.replace("""
                    claims:
                      required: [email_verified]
            """, ""));
        assertThat(Files.readString(loose)).doesNotContain("required:");

        Run counted = cli(TestKinds.REGISTRY, "replay", "--config", loose.toString(), "--tenant", "default", "--connection", "picky");
        Run allowed = cli(TestKinds.REGISTRY, "replay", "--config", loose.toString(), "--tenant", "default", "--connection", "picky",
                "--allow-newly-accepted");

        assertThat(counted.status()).as(counted.out() + counted.err()).isEqualTo(1);
        assertThat(counted.out()).contains("regressions:").contains("picky " + id + " outcome: upstream.field_missing -> ok");
        assertThat(allowed.status()).as(allowed.out() + allowed.err()).isZero();
        assertThat(allowed.out()).contains("newly accepted:").contains("picky " + id + " outcome: upstream.field_missing -> ok")
                .doesNotContain("regressions:");
    }

    /** The organisation restriction runs again on replay: the allowed organisation's name is recorded, the user's others are not. */
    @Test
    void replayWhenAllowedOrganizationsChangedThenOrgDeniedReported(@TempDir Path dir) throws Exception {
        HttpResponse<String> r = signInGitHub("gh-org", "5150", new GitHubFake.Memberships(new java.util.ArrayList<>(List.of("acme",
                "secret-club")), List.of()));
        assertThat(Browser.query(Browser.location(r))).as(r.body()).containsKey("code");
        String id = stored("default", "gh-org").getLast().id();
        Path corpus = export(dir, "gh-org");
        assertThat(Files.readString(corpus)).contains("\"acme\"").doesNotContain("secret-club");

        Run same = cli(TestKinds.REGISTRY, "replay", "--corpus", corpus.toString(), "--config", configFile(dir, "same.yaml", CONFIG).toString());
        Run other = cli(TestKinds.REGISTRY, "replay", "--corpus", corpus.toString(), "--config", configFile(dir, "other.yaml",
                CONFIG.replace("allowed_organizations: [acme]", "allowed_organizations: [globex]")).toString());

        assertThat(same.status()).as(same.out() + same.err()).isZero();
        assertThat(other.status()).as(other.out() + other.err()).isEqualTo(1);
        assertThat(other.out()).contains("gh-org " + id + " outcome: ok -> upstream.org_denied");
    }

    /** An upstream 5xx is recorded (status, no body) and replays to the same refusal: unchanged, not a regression. */
    @Test
    void replayWhenRecordedUpstreamServerErrorThenSameRefusalUnchanged(@TempDir Path dir) throws Exception {
        github.failNextTokenRequest(dev.signet.connector.ConnectorContract.Fault.SERVER_ERROR);
        HttpResponse<String> r = signInGitHub("gh", "8008", GitHubFake.none());
        assertThat(r.statusCode()).isGreaterThanOrEqualTo(500);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> stored("default", "gh").stream()
                .anyMatch(e -> e.outcome().equals("upstream.unreachable")));
        CorpusEntry failed = stored("default", "gh").stream().filter(e -> e.outcome().equals("upstream.unreachable")).toList().getLast();
        JsonNode token = JSON.readTree(failed.entry()).path("responses").get(0);
        assertThat(token.path("status").asInt()).isEqualTo(502);
        assertThat(token.path("json").asBoolean(true)).isFalse();
        assertThat(token.path("client_auth").asString()).isEqualTo("client_secret_post");
        Path corpus = export(dir, "gh");

        Run run = cli(TestKinds.REGISTRY, "replay", "--corpus", corpus.toString(), "--config", configFile(dir, "same.yaml", CONFIG).toString(),
                "--format", "json");

        assertThat(run.status()).as(run.out() + run.err()).isZero();
        JsonNode report = JSON.readTree(run.out()).get(0);
        assertThat(report.path("regressions").size()).isZero();
        assertThat(report.path("not_replayed").toString()).doesNotContain(failed.id());
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @Test
    void replayWhenCorpusOrConfigBrokenThenExit2WithEveryProblem(@TempDir Path dir) throws Exception {
        Path old = Files.writeString(dir.resolve("old.json"), "{\"format\":\"signet-corpus/1\",\"tenant\":\"nope\",\"connections\":[]}");
        Path config = configFile(dir, "signet.yaml", CONFIG);

        Run run = cli(TestKinds.REGISTRY, "replay", "--corpus", old.toString(), "--config", config.toString(), "--tenant", "ghost");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("3 problem(s)").contains("signet-corpus/1 cannot be replayed").contains("no tenant named 'ghost'")
                .contains("its tenant 'nope' is not in the configuration");
        assertThat(cli(TestKinds.REGISTRY, "replay", "--help").out()).contains("--corpus").contains("--allow-newly-accepted");
    }
}
