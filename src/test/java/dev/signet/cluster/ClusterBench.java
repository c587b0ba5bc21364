package dev.signet.cluster;

import dev.signet.harness.Cluster;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.WebhookReceiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * Not a test (surefire does not run it): the sanity figures for README "Running several nodes",
 * sign-ins and client_credentials per second through HAProxy with N nodes. Everything (nodes,
 * HAProxy, upstream, clients) shares the machine's cores, so compare one node with three on the
 * same machine only.
 *
 * <pre>
 *   java -cp target/test-classes:target/classes:$(cat cp.txt) dev.signet.cluster.ClusterBench NODES SECONDS WORKERS
 * </pre>
 */
final class ClusterBench {

    private ClusterBench() {}

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int workers = Integer.parseInt(args[2]);
        MockOAuth2Server upstream = Journeys.upstream();
        WebhookReceiver receiver = new WebhookReceiver(Journeys.WEBHOOK_SECRET);
        Cluster.Launch launch = new Cluster.Launch("current", List.of(Cluster.Launch.current().command().getFirst(), "-XX:+UseSerialGC",
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "dev.signet.cli.Main"));
        try (Cluster cluster = Cluster.start(nodes, Journeys.TENANTS + Journeys.EVENTS, Journeys.env(upstream, receiver), launch)) {
            run("warm-up sign-ins", seconds / 2, workers, () -> Journeys.signIn(cluster.issuer(), "warm" + System.nanoTime()) != null);
            double signIns = run("sign-ins", seconds, workers, () -> Journeys.signIn(cluster.issuer(), "b" + System.nanoTime()) != null);
            RelyingParty app = Journeys.app(cluster.issuer());
            Map<String, String> form = Map.of("grant_type", "client_credentials");
            run("warm-up client_credentials", seconds / 2, workers, () -> app.token(form).statusCode() == 200);
            double cc = run("client_credentials", seconds, workers, () -> app.token(form).statusCode() == 200);
            System.out.printf("BENCH nodes=%d workers=%d: %.1f sign-ins/s, %.0f client_credentials/s%n", nodes, workers, signIns, cc);
        } finally {
            receiver.close();
            upstream.shutdown();
        }
    }

    interface Op {
        boolean call() throws Exception;
    }

    static double run(String what, int seconds, int workers, Op op) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        (op.call() ? ok : failed).incrementAndGet();
                    } catch (Throwable e) {
                        if (failed.incrementAndGet() <= 3) {
                            System.out.println("BENCH " + what + " failed: " + String.valueOf(e).lines().limit(3).toList());
                        }
                    }
                }
            }));
        }
        Thread.sleep(Duration.ofSeconds(seconds));
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        double perSecond = ok.get() / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("BENCH %s: %d ok, %d failed, %.1f/s%n", what, ok.get(), failed.get(), perSecond);
        return perSecond;
    }
}
