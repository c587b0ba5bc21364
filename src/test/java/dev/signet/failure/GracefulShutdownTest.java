package dev.signet.failure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.harness.WebhookReceiver;
import dev.signet.harness.StoreFaults;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown: Signet stops accepting, lets an in-flight sign-in finish (its store
 * transaction is slowed down while shutdown starts), and flushes the outbox before closing the store — the relay polls
 * only every minute here, so the events reach the webhook only because shutdown flushes them.
 */
class GracefulShutdownTest {

    @Test
    void closeWhenSignInInFlightThenItCompletesAndItsEventsAreDelivered() throws Exception {
        CountDownLatch hookCalled = new CountDownLatch(1);
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        hook.createContext("/policy", x -> {
            x.getRequestBody().readAllBytes();
            hookCalled.countDown();
            x.getResponseHeaders().add("Content-Type", "application/json");
            byte[] b = "{\"allow\":true}".getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(200, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        hook.start();
        String secret = "webhook-secret-0123456789";
        try (WebhookReceiver receiver = new WebhookReceiver(secret)) {
            SignetHarness signet = SignetHarness.start(SignetHarness.server() + """
                    events:
                      relay: {poll: 60s}
                      webhooks:
                        - {id: crm, url: "${HOOK}", secret: "${SECRET}", timeout: 2s}
                    hooks:
                      - {id: policy, url: "${POLICY}", timeout: 2s, on_failure: deny}
                    tenants:
                      - name: default
                        clients:
                          - id: app
                            secret: app-secret-0123456789
                            redirect_uris: [http://localhost:9/cb]
                        connections:
                          - id: dev
                            kind: dev-unsafe
                    """, Map.of("HOOK", receiver.url().toString(), "SECRET", secret,
                    "POLICY", "http://127.0.0.1:" + hook.getAddress().getPort() + "/policy"));
            URI healthz = signet.url("/healthz");
            // own threads: blocking tasks on the common pool would starve the JDK HttpClient's internal stages
            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            try {
                Browser b = new Browser();
                RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
                HttpResponse<String> page = b.get(app.authorize("openid email", Map.of()).url());
                URI upstream = Browser.location(b.get(Browser.link(page.body(), "/signin/dev")));
                URI callback = Browser.location(b.postForm(StoreOutageTest.withoutQuery(upstream),
                        StoreOutageTest.devForm(upstream, "in.flight@example.com")));

                // the sign-in's store transaction is slow, so it is still in flight when shutdown starts
                signet.storeFaults.slow(StoreFaults.Scope.ALL, Duration.ofMillis(1500));
                CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> b.get(callback), threads);
                hookCalled.await();
                CompletableFuture<Void> closing = CompletableFuture.runAsync(signet::close, threads);
                // stops taking requests: a new one gets 503 + Retry-After while the sign-in is still in flight
                await().atMost(Duration.ofSeconds(10)).until(() -> new Browser().get(healthz).statusCode() == 503);
                HttpResponse<String> refused = new Browser().get(healthz);
                assertThat(refused.headers().firstValue("Retry-After")).isPresent();
                assertThat(inFlight).isNotDone();

                HttpResponse<String> done = inFlight.get();
                assertThat(Browser.query(Browser.location(done))).as("the in-flight sign-in completed").containsKey("code");
                signet.storeFaults.heal();
                closing.get();
                // and once closed, connections are refused
                assertThatThrownBy(() -> new Browser().get(healthz)).isInstanceOf(RuntimeException.class);
                // flushed on the way down: the sign-in's events reached the webhook
                assertThat(receiver.events.values()).extracting(e -> e.path("type").asString())
                        .contains("user.created", "session.created", "signin.succeeded");
            } finally {
                signet.storeFaults.heal();
                signet.close();
                threads.close();
            }
        } finally {
            hook.stop(0);
        }
    }
}
