package dev.signet.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.signet.ConfigException;
import dev.signet.app.Signet;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.session.Sessions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md failure policy, row "policy hook — slow, error": timeout, then its declared
 * {@code on_failure}. Two servers share one hook service: one declares {@code deny}, one
 * {@code allow}. The hook is a real HTTP server that can allow (adding claims), deny, hang or fail.
 */
class HookPolicyTest {

    enum Mode { ALLOW, DENY, HANG, ERROR }

    static HttpServer hook;
    static final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ALLOW);
    static final AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(1));
    static SignetHarness strict;
    static SignetHarness lenient;

    static String config(String onFailure) {
        return SignetHarness.server() + """
                hooks:
                  - id: policy
                    url: ${HOOK}
                    timeout: 300ms
                    on_failure: %s
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """.formatted(onFailure);
    }

    @BeforeAll
    static void start() throws Exception {
        hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        hook.createContext("/policy", x -> {
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String answer = switch (mode.get()) {
                case ALLOW -> "{\"allow\":true,\"claims\":{\"groups\":[\"staff\",\"ops\"],\"tier\":\"gold\",\"sub\":\"forged\","
                        + "\"seen_email\":" + (body.contains("\"email\":\"") ? "true" : "false") + "}}";
                case DENY -> "{\"allow\":false,\"message\":\"Contractors cannot sign in on weekends.\"}";
                case HANG -> {
                    try {
                        release.get().await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield "{\"allow\":true}";
                }
                case ERROR -> null;
            };
            if (answer == null) {
                x.sendResponseHeaders(500, -1);
            } else {
                byte[] b = answer.getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().add("Content-Type", "application/json");
                x.sendResponseHeaders(200, b.length);
                x.getResponseBody().write(b);
            }
            x.close();
        });
        hook.start();
        Map<String, String> env = Map.of("HOOK", "http://127.0.0.1:" + hook.getAddress().getPort() + "/policy");
        strict = SignetHarness.start(config("deny"), env);
        lenient = SignetHarness.start(config("allow"), env);
    }

    @AfterAll
    static void stop() {
        release.get().countDown();
        strict.close();
        lenient.close();
        hook.stop(0);
    }

    @AfterEach
    void reset() {
        release.get().countDown();
        release.set(new CountDownLatch(1));
        mode.set(Mode.ALLOW);
    }

    static RelyingParty app(SignetHarness s) {
        return new RelyingParty(s, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
    }

    /** Walks the dev sign-in up to the callback and returns the callback's response. */
    static HttpResponse<String> callback(SignetHarness s, Browser b, String email) {
        RelyingParty.Authorization auth = app(s).authorize("openid email", Map.of());
        HttpResponse<String> page = b.get(auth.url());
        URI upstream = Browser.location(b.get(Browser.link(page.body(), "/signin/dev")));
        URI cb = Browser.location(b.postForm(StoreOutageTest.withoutQuery(upstream), StoreOutageTest.devForm(upstream, email)));
        return b.get(cb);
    }

    /** {@code signet_hook_calls_total} of the hook {@code policy} on {@code s}, as the operator scrapes it (issue 17). */
    static double hookCalls(SignetHarness s, String outcome, String decision) {
        String metrics = new Browser().get(s.management("/metrics")).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("signet_hook_calls_total\\{decision=\"" + decision
                + "\",hook=\"policy\",outcome=\"" + outcome + "\"} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static JWTClaimsSet signIn(SignetHarness s, String email) throws Exception {
        RelyingParty app = app(s);
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        String code = Browser.query(DevSignIn.signIn(new Browser(), auth.url(), email)).get("code");
        HttpResponse<String> t = app.exchange(code, auth.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        return SignedJWT.parse(RelyingParty.json(t).path("id_token").asString()).getJWTClaimsSet();
    }

    @Test
    void signInWhenHookAllowsWithClaimsThenClaimsInIdTokenButNeverProtocolClaims() throws Exception {
        double ok = hookCalls(strict, "ok", "allowed");
        JWTClaimsSet claims = signIn(strict, "claims@example.com");
        assertThat(hookCalls(strict, "ok", "allowed")).isEqualTo(ok + 1);
        assertThat(claims.getStringListClaim("groups")).containsExactly("staff", "ops");
        assertThat(claims.getStringClaim("tier")).isEqualTo("gold");
        assertThat(claims.getBooleanClaim("seen_email")).isTrue();
        assertThat(claims.getSubject()).isNotEqualTo("forged");
    }

    @Test
    void signInWhenHookDeniesThenClearPageAndNoSession() {
        mode.set(Mode.DENY);
        double denied = hookCalls(strict, "denied", "denied");
        Browser b = new Browser();
        ErrorPage page = ErrorPage.of(callback(strict, b, "weekend@example.com"));
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.reason()).isEqualTo("signin.denied_by_hook");
        assertThat(page.html()).contains("Contractors cannot sign in on weekends.");
        assertThat(b.cookie(Sessions.COOKIE)).isEmpty();
        assertThat(hookCalls(strict, "denied", "denied")).isEqualTo(denied + 1);
        // a denial is a decision, not a failure: on_failure: allow does not override it
        ErrorPage alsoDenied = ErrorPage.of(callback(lenient, new Browser(), "weekend@example.com"));
        assertThat(alsoDenied.reason()).isEqualTo("signin.denied_by_hook");
    }

    @Test
    void signInWhenHookHangsAndOnFailureDenyThenDeniedAfterTimeout() {
        mode.set(Mode.HANG);
        double timeouts = hookCalls(strict, "timeout", "denied");
        ErrorPage page = ErrorPage.of(callback(strict, new Browser(), "hang.deny@example.com"));
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.reason()).isEqualTo("signin.hook_failed");
        assertThat(hookCalls(strict, "timeout", "denied")).isEqualTo(timeouts + 1);
    }

    @Test
    void signInWhenHookHangsAndOnFailureAllowThenSignedInAfterTimeout() throws Exception {
        mode.set(Mode.HANG);
        double timeouts = hookCalls(lenient, "timeout", "allowed");
        assertThat(signIn(lenient, "hang.allow@example.com").getStringClaim("email")).isEqualTo("hang.allow@example.com");
        // issue 17: the operator sees the failed call and that on_failure let the user in
        assertThat(hookCalls(lenient, "timeout", "allowed")).isEqualTo(timeouts + 1);
    }

    @Test
    void signInWhenHookErrorsThenItsOnFailureApplies() throws Exception {
        mode.set(Mode.ERROR);
        double denied = hookCalls(strict, "error", "denied");
        double allowed = hookCalls(lenient, "error", "allowed");
        assertThat(ErrorPage.of(callback(strict, new Browser(), "error.deny@example.com")).reason()).isEqualTo("signin.hook_failed");
        assertThat(signIn(lenient, "error.allow@example.com").getStringClaim("tier")).isNull();
        assertThat(hookCalls(strict, "error", "denied")).isEqualTo(denied + 1);
        assertThat(hookCalls(lenient, "error", "allowed")).isEqualTo(allowed + 1);
    }

    @Test
    void configWhenHookHasNoOnFailureThenRefusedWithThePath() {
        String yaml = config("deny").replace("    on_failure: deny\n", "");
        assertThatThrownBy(() -> Signet.configLoader(Map.of("HOOK", "http://127.0.0.1:9/x", "PORT", "1", "DATA", "/tmp/x")).parse(yaml, "t.yaml"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems().toString()).contains("hooks[0].on_failure").contains("required"));
    }
}
