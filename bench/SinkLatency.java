import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sign-in latency with the webhook sink healthy vs hanging, in the same run against the same
 * server (bench/sinks.sh). Runs the webhook receiver itself on BENCH_HOOK_PORT: "healthy" answers
 * 204 at once, "hanging" holds every request until the phase ends (Signet's webhook timeout, 5 s,
 * fires first). Reports p50/p99 of a whole login (the Bench.login journey) per phase.
 * Usage: java bench/SinkLatency.java BASE HOOK_PORT CONCURRENCY SECONDS_PER_PHASE
 */
public class SinkLatency {

    public static void main(String[] a) throws Exception {
        String base = a[0];
        int hookPort = Integer.parseInt(a[1]);
        int conc = Integer.parseInt(a[2]);
        int secs = Integer.parseInt(a[3]);
        AtomicReference<CountDownLatch> hang = new AtomicReference<>(new CountDownLatch(0));
        AtomicInteger received = new AtomicInteger();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", hookPort), 0);
        hook.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        hook.createContext("/hook", x -> {
            x.getRequestBody().readAllBytes();
            received.incrementAndGet();
            try {
                hang.get().await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        hook.start();
        try {
            phase("warm-up", base, conc, secs / 2);
            report("sink healthy", phase("sink healthy", base, conc, secs), received);
            hang.set(new CountDownLatch(1));
            report("sink hanging", phase("sink hanging", base, conc, secs), received);
            hang.get().countDown();
            report("sink healthy again", phase("sink healthy again", base, conc, secs), received);
        } finally {
            hang.get().countDown();
            hook.stop(0);
        }
    }

    static List<Long> phase(String name, String base, int conc, int secs) throws Exception {
        List<Long> nanos = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger failed = new AtomicInteger();
        long deadline = System.nanoTime() + secs * 1_000_000_000L;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < conc; i++) {
                pool.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        long t = System.nanoTime();
                        try {
                            if (Bench.login(base)) {
                                nanos.add(System.nanoTime() - t);
                            } else {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        if (failed.get() > 0) {
            System.out.println(name + ": " + failed.get() + " failed logins");
        }
        return nanos;
    }

    static void report(String name, List<Long> nanos, AtomicInteger received) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        System.out.printf(Locale.ROOT, "%-20s %5d logins  p50 %6.1f ms  p99 %6.1f ms  (webhook requests so far: %d)%n", name, s.size(),
                pct(s, 0.50), pct(s, 0.99), received.get());
    }

    static double pct(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
}
