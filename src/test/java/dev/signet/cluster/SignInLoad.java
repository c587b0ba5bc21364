package dev.signet.cluster;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sign-ins running continuously through a cluster's load balancer, from a few worker threads,
 * while a test does something to the nodes. Records every sign-in that completed (when it started
 * and ended) and every one that failed.
 */
final class SignInLoad implements AutoCloseable {

    record Done(Journeys.SignIn signIn, long startedMs, long endedMs) {
        long millis() {
            return endedMs - startedMs;
        }
    }

    record Failed(String user, Throwable error, long startedMs, long atMs) {}

    final List<Done> done = new CopyOnWriteArrayList<>();
    final List<Failed> failed = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> workers = new ArrayList<>();
    private final AtomicInteger seq = new AtomicInteger();
    private final long t0 = System.nanoTime();

    SignInLoad(URI issuer, String prefix, int workers) {
        for (int w = 0; w < workers; w++) {
            this.workers.add(Thread.ofPlatform().name("signin-load-" + w).daemon().start(() -> {
                while (running.get()) {
                    String user = prefix + "-" + seq.incrementAndGet();
                    long start = now();
                    try {
                        done.add(new Done(Journeys.signIn(issuer, user), start, now()));
                    } catch (Throwable e) {
                        failed.add(new Failed(user, e, start, now()));
                    }
                }
            }));
        }
    }

    long now() {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Waits until {@code more} further sign-ins have completed (or more failed than one per worker: no point going on). */
    void awaitMore(int more, Duration max) {
        int target = done.size() + more;
        await().atMost(max).pollInterval(Duration.ofMillis(50)).until(() -> done.size() >= target || failed.size() > workers.size());
    }

    /** Stops the workers after their current sign-in. */
    @Override
    public void close() {
        running.set(false);
        for (Thread t : workers) {
            try {
                t.join(Duration.ofSeconds(60));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The longest time in which no sign-in completed, between {@code fromMs} and the last completion. */
    long longestGapMs(long fromMs) {
        List<Long> ends = new ArrayList<>(done.stream().map(Done::endedMs).filter(t -> t >= fromMs).sorted().toList());
        long gap = 0;
        long previous = fromMs;
        for (long e : ends) {
            gap = Math.max(gap, e - previous);
            previous = e;
        }
        return gap;
    }

    /** The longest single sign-in that was running at {@code atMs}. */
    long longestAcross(long atMs) {
        return done.stream().filter(d -> d.startedMs() <= atMs && d.endedMs() >= atMs).map(Done::millis)
                .max(Comparator.naturalOrder()).orElse(0L);
    }

    String failures() {
        StringBuilder b = new StringBuilder();
        for (Failed f : failed) {
            b.append(f.user()).append(" from ").append(f.startedMs()).append(" to ").append(f.atMs()).append(" ms: ").append(f.error()).append('\n');
        }
        return b.toString();
    }
}
