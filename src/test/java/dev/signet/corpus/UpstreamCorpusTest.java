package dev.signet.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.app.Signet;
import dev.signet.cli.Cli;
import dev.signet.config.SignetConfig;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The upstream corpus through the running server (issue 15): sign-ins through mock-oauth2-server
 * leave synthetic exchanges with their outcome; {@code record: false} records nothing; the cap
 * holds; {@code signet corpus export} writes the documented format, one tenant only.
 */
class UpstreamCorpusTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String APP_SECRET = "app-secret-0123456789";
    static MockOAuth2Server upstream;
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
                    email_domains: [corp.example]
                  - id: strict
                    kind: oidc
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret-4242
                    discovery: manual
                    authorization_endpoint: ${UPSTREAM_AUTHORIZE}
                    token_endpoint: ${UPSTREAM_TOKEN}
                    jwks_uri: ${UPSTREAM_JWKS}
                    iss_parameter_supported: true
                  - id: quiet
                    kind: oidc
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret-4242
                    discovery: auto
                    record: false
                  - id: capped
                    kind: oidc
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret-4242
                    discovery: auto
                    record_limit: 2
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
        env = new HashMap<>(Map.of("APP_SECRET", APP_SECRET, "UPSTREAM", upstream.issuerUrl("corp").toString(),
                "UPSTREAM_AUTHORIZE", upstream.url("corp/authorize").toString(), "UPSTREAM_TOKEN", upstream.url("corp/token").toString(),
                "UPSTREAM_JWKS", upstream.url("corp/jwks").toString()));
        signet = SignetHarness.start(CONFIG, env);
        env.put("PORT", String.valueOf(signet.issuer().getPort()));
        env.put("DATA", signet.dataDir().toString());
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.shutdown();
    }

    /** What the upstream really sent in one sign-in that the corpus must not contain. */
    record Secrets(String code, String state, String nonce, List<String> person) {}

    /** One whole sign-in through {@code connection}; the user's real-looking values are unique to this call. */
    static Secrets signIn(String connection, String tag) {
        Browser browser = new Browser();
        RelyingParty app = new RelyingParty(signet, "app", Optional.of(APP_SECRET), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid email profile", Map.of());
        HttpResponse<String> page = browser.get(auth.url());
        URI toUpstream = Browser.location(browser.get(Browser.link(page.body(), "/signin/" + connection + "?")));
        String sub = "real-sub-" + tag + "-90817";
        String email = "jane." + tag + "@realmail.example";
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", sub, "JWT", List.of("signet"),
                Map.of("email", email, "email_verified", true, "name", "Jane Realname" + tag), 3600));
        URI callback = Browser.location(browser.get(toUpstream));
        HttpResponse<String> after = browser.get(callback);
        assertThat(Browser.location(after).toString()).as(after.body()).startsWith("http://localhost:9/cb?code=");
        return new Secrets(Browser.query(callback).get("code"), Browser.query(toUpstream).get("state"),
                Browser.query(toUpstream).get("nonce"), List.of(sub, email, "Realname" + tag, "realmail"));
    }

    static List<CorpusEntry> stored(String tenant, String connection) {
        try (Signet.Offline offline = Signet.offline(config(), Clock.systemUTC())) {
            return offline.database().read(tx -> new JdbcCorpus().list(tx, tenant, Optional.of(connection)));
        }
    }

    static SignetConfig config() {
        return Signet.configLoader(env).parse(CONFIG, "test.yaml");
    }

    record Run(int status, String out, String err) {}

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Cli.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Every JWT-shaped string in {@code text} is a synthetic one (header {"alg":"none"}), never one the upstream signed. */
    static void assertNoUpstreamJwt(String text) {
        Matcher m = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*").matcher(text);
        while (m.find()) {
            assertThat(m.group()).startsWith("eyJhbGciOiJub25lIn0.");
        }
    }

    @Test
    void signInWhenAcceptedThenExchangeRecordedWithOutcomeOkAndNoOriginalValue() {
        Secrets s = signIn("corp", "ok" + System.nanoTime());

        List<CorpusEntry> rows = stored("default", "corp");
        CorpusEntry last = rows.getLast();
        assertThat(last.outcome()).isEqualTo("ok");
        JsonNode e = JSON.readTree(last.entry());
        assertThat(e.path("outcome").asString()).isEqualTo("ok");
        assertThat(e.path("kind").asString()).isEqualTo("oidc");
        assertThat(e.path("callback").path("params").toString()).contains("code").contains("state");
        assertThat(e.path("discovery").path("issuer").asString()).isEqualTo(upstream.issuerUrl("corp").toString());
        assertThat(e.path("jwks").path("keys").get(0).path("kty").asString()).isEqualTo("RSA");
        assertThat(e.path("jwks").path("keys").get(0).has("n")).as("no key material").isFalse();
        assertThat(e.path("id_token").path("header").path("alg").asString()).isEqualTo("RS256");
        JsonNode claims = e.path("id_token").path("claims");
        assertThat(claims.path("iss").asString()).isEqualTo(upstream.issuerUrl("corp").toString());
        assertThat(claims.path("email_verified").asBoolean()).isTrue();
        assertThat(claims.path("email").asString()).matches("user\\d+@example\\.com");
        // the identity Signet mapped, in the same synthetic values as the claims it came from
        assertThat(e.path("mapped").path("subject").asString()).isEqualTo(claims.path("sub").asString()).isNotEmpty();
        assertThat(e.path("mapped").path("email").asString()).isEqualTo(claims.path("email").asString());
        assertThat(e.path("mapped").path("email_verified").asBoolean()).isTrue();
        JsonNode token = e.path("responses").get(0);
        assertThat(token.path("endpoint").asString()).isEqualTo("token endpoint");
        // what replay needs besides the answers (format 2): how Signet authenticated, the response mode, what it expected of iss
        assertThat(e.path("version").asInt()).isEqualTo(2);
        assertThat(token.path("client_auth").asString()).isEqualTo("client_secret_basic");
        assertThat(e.path("callback").path("posted").asBoolean(true)).isFalse();
        assertThat(e.path("callback").path("values").has("code")).isFalse();
        assertThat(e.path("callback").path("values").has("state")).isFalse();
        assertThat(e.path("expected").path("issuer").asString()).isEqualTo(upstream.issuerUrl("corp").toString());
        assertThat(e.path("expected").path("iss_parameter_supported").isBoolean()).isTrue();
        assertThat(token.path("body").path("token_type").asString()).isEqualTo("Bearer");
        // the stored bytes hold nothing the upstream or the browser sent that identifies or grants
        assertThat(last.entry()).doesNotContain(s.code()).doesNotContain(s.state()).doesNotContain(s.nonce())
                .doesNotContain("upstream-secret-4242");
        assertThat(s.person()).allSatisfy(v -> assertThat(last.entry()).doesNotContain(v));
        assertNoUpstreamJwt(last.entry());
    }

    @Test
    void callbackWhenIssuerMismatchThenFailureRecordedWithTheReasonAndTheIss() {
        Browser browser = new Browser();
        RelyingParty app = new RelyingParty(signet, "app", Optional.of(APP_SECRET), URI.create("http://localhost:9/cb"));
        HttpResponse<String> page = browser.get(app.authorize("openid email", Map.of()).url());
        URI toUpstream = Browser.location(browser.get(Browser.link(page.body(), "/signin/strict?")));
        String code = "real-code-" + System.nanoTime();
        String state = Browser.query(toUpstream).get("state");
        HttpResponse<String> r = browser.get(URI.create(signet.url("/callback/strict") + "?"
                + Browser.form(Map.of("code", code, "state", state, "iss", "https://other-issuer.example"))));
        assertThat(ErrorPage.of(r).reason()).isEqualTo("upstream.issuer_mismatch");

        // written off the response path, with the signin.failed event
        await().atMost(Duration.ofSeconds(20)).until(() -> stored("default", "strict").stream()
                .anyMatch(c -> c.outcome().equals("upstream.issuer_mismatch")));
        CorpusEntry e = stored("default", "strict").stream().filter(c -> c.outcome().equals("upstream.issuer_mismatch")).toList().getLast();
        JsonNode cb = JSON.readTree(e.entry()).path("callback");
        assertThat(cb.path("iss_present").asBoolean()).isTrue();
        assertThat(cb.path("iss").asString()).isEqualTo("https://other-issuer.example");
        assertThat(e.entry()).doesNotContain(code).doesNotContain(state);
    }

    @Test
    void callbackWhenStateUnknownThenNothingRecorded() {
        int before = stored("default", "strict").size();
        HttpResponse<String> r = new Browser().get(URI.create(signet.url("/callback/strict") + "?"
                + Browser.form(Map.of("code", "forged", "state", "forged-state"))));
        assertThat(ErrorPage.of(r).reason()).isEqualTo("upstream.state_mismatch");
        // a forged callback never evicts real exchanges: the failure event is written, the corpus is not
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> stored("default", "strict").size() == before);
    }

    @Test
    void signInWhenRecordFalseThenNothingRecorded() {
        signIn("quiet", "quiet" + System.nanoTime());

        assertThat(stored("default", "quiet")).isEmpty();
    }

    @Test
    void signInWhenMoreThanTheLimitThenNewestKeptPlusTheFirstOfTheOutcome() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            signIn("capped", "cap" + i + "x" + System.nanoTime());
            ids.add(stored("default", "capped").getLast().id());
        }
        List<String> kept = stored("default", "capped").stream().map(CorpusEntry::id).toList();
        // record_limit 2: the two newest, plus the first "ok" exchange ever recorded (the newest is also the last "ok")
        assertThat(kept).hasSizeLessThanOrEqualTo(3).endsWith(ids.get(2), ids.get(3)).doesNotContain(ids.get(1));
    }

    @Test
    void exportWhenCorpusThenVersionedFileOfThisTenantOnly(@TempDir Path dir) throws Exception {
        signIn("corp", "export" + System.nanoTime());
        // another tenant's exchange with a connection of the same id
        try (Signet.Offline offline = Signet.offline(config(), Clock.systemUTC())) {
            offline.database().write(tx -> {
                new JdbcCorpus().add(tx, new CorpusEntry("other-tenant-row", "second", "corp", Instant.now(), "ok",
                        "{\"marker\":\"second-tenant-only\"}"), 200);
                return null;
            });
        }
        Path config = Files.writeString(dir.resolve("signet.yaml"), CONFIG);
        Path out = dir.resolve("corpus.json");

        Run run = cli("corpus", "export", "--config", config.toString(), "--tenant", "default", "--connection", "corp", "--out",
                out.toString());

        assertThat(run.status()).as(run.err()).isZero();
        String text = Files.readString(out);
        JsonNode file = JSON.readTree(text);
        assertThat(file.path("format").asString()).isEqualTo("signet-corpus/2");
        assertThat(file.path("tenant").asString()).isEqualTo("default");
        assertThat(file.path("connections")).hasSize(1);
        JsonNode corp = file.path("connections").get(0);
        assertThat(corp.path("id").asString()).isEqualTo("corp");
        assertThat(corp.path("kind").asString()).isEqualTo("oidc");
        assertThat(corp.path("exchanges").size()).isPositive();
        assertThat(corp.path("exchanges").get(0).path("outcome").asString()).isEqualTo("ok");
        assertThat(text).doesNotContain("second-tenant-only").doesNotContain("other-tenant-row");
        assertNoUpstreamJwt(text);

        Run second = cli("corpus", "export", "--config", config.toString(), "--tenant", "second");
        assertThat(second.status()).as(second.err()).isZero();
        assertThat(second.out()).contains("second-tenant-only");

        assertThat(cli("corpus", "export", "--config", config.toString(), "--tenant", "nope").status()).isEqualTo(64);
        assertThat(cli("corpus", "export", "--help").out()).contains("--connection").contains("signet-corpus/2");
    }
}
