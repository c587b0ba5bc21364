package dev.signet.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reload with last-known-good, on the real server: a valid change of the file takes effect while a
 * sign-in is half-way (at the upstream), and that sign-in still completes; an invalid file is
 * rejected and the previous configuration keeps serving; SIGHUP reloads too.
 */
class ReloadTest {

    static SignetHarness signet;
    static Path file;
    static Map<String, String> env;

    static String config(String displayName, String extra) {
        return SignetHarness.server().replace("${PORT}", env.get("PORT")).replace("${DATA}", env.get("DATA")) + """
                tenants:
                  - name: default
                    display_name: %s
                    clients:
                      - id: app
                        public: true
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                %s""".formatted(displayName, extra);
    }

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("signet-reload");
        file = dir.resolve("signet.yaml");
        env = new LinkedHashMap<>();
        env.put("PORT", String.valueOf(SignetHarness.freePort()));
        env.put("DATA", Files.createTempDirectory("signet-reload-data").toString());
        Files.writeString(file, config("Before", ""));
        signet = SignetHarness.start(Files.readString(file), env);
        signet.app().reloadOnChange(Signet.configLoader(env), file);
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    /** Polls {@code condition} until it holds or 20 s pass (an await loop, not a sleep standing in for an event). */
    static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    static String home() {
        return new Browser().get(signet.url("/")).body();
    }

    @Test
    void reloadWhenValidChangeMidSignInThenNewConfigServesAndTheSignInCompletes() throws Exception {
        Browser browser = new Browser();
        RelyingParty app = new RelyingParty(signet, "app", Optional.empty(), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        HttpResponse<String> page = browser.get(auth.url());
        URI upstream = Browser.location(browser.get(Browser.link(page.body(), "/signin/dev")));
        long appliedBefore = signet.app().reloader().applied();

        // the operator adds a connection and renames the tenant while this sign-in is at the upstream
        Files.writeString(file, config("After", """
                      - id: partner
                        kind: dev-unsafe
                        name: Partner login
                """));
        await("the new configuration to be in force", () -> home().contains("After"));
        assertThat(signet.app().reloader().applied()).isGreaterThan(appliedBefore);
        assertThat(new Browser().get(auth.url()).body()).contains("Partner login");

        Map<String, String> q = Browser.query(upstream);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("state", q.get("state"));
        form.put("nonce", q.get("nonce"));
        form.put("redirect_uri", q.get("redirect_uri"));
        form.put("name", "Dana");
        form.put("email", "dana@example.com");
        URI callback = Browser.location(browser.postForm(signet.url("/dev-upstream/dev"), form));
        URI back = Browser.location(browser.get(callback)); // straight back to the app (issue 16)
        Map<String, String> bq = Browser.query(back);
        assertThat(bq).containsEntry("state", auth.state()).containsKey("code");
        assertThat(app.exchange(bq.get("code"), auth.verifier()).statusCode()).isEqualTo(200);
    }

    @Test
    void reloadWhenFileInvalidThenRejectedAndLastGoodKeepsServing() throws Exception {
        Files.writeString(file, config("Stable", ""));
        await("the stable configuration", () -> home().contains("Stable"));
        long rejectedBefore = signet.app().reloader().rejected();

        Files.writeString(file, config("Broken", "      - id: Bad Id\n        kind: nosuchkind\n"));
        await("the rejection to be counted", () -> signet.app().reloader().rejected() > rejectedBefore);
        assertThat(home()).contains("Stable").doesNotContain("Broken");

        Files.writeString(file, "tenants: [ this is not yaml");
        await("the second rejection", () -> signet.app().reloader().rejected() > rejectedBefore + 1);
        assertThat(home()).contains("Stable");
        RelyingParty app = new RelyingParty(signet, "app", Optional.empty(), URI.create("http://localhost:9/cb"));
        assertThat(DevSignIn.code(app.authorize("openid", Map.of()).url(), "erin@example.com")).containsKey("code");
    }

    @Test
    void reloadWhenSighupThenFileReloaded() throws Exception {
        Files.writeString(file, config("Hup", ""));
        await("the file change", () -> home().contains("Hup"));
        long before = signet.app().reloader().applied();
        Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(ProcessHandle.current().pid())).start();
        assertThat(kill.waitFor()).isZero();
        await("SIGHUP to reload", () -> signet.app().reloader().applied() > before);
        assertThat(home()).contains("Hup");
    }
}
