package dev.signet.event;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.config.ContainmentSettings.RelaySettings;
import dev.signet.store.Delivery;
import dev.signet.store.OutboxStore;
import dev.signet.store.Transactions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox events to the sinks, on one virtual thread, off every request path.
 *
 * <pre>
 *   loop: fan out new events (1 tx) → claim due deliveries with a lease (1 tx) →
 *         deliver the batch concurrently (each sink bounds its own time) → record results (1 tx)
 *   result: ok → delivered | failed → pending at now + backoff·2^(attempts-1) (≤ max_backoff)
 *           | failed max_attempts times → dead (until `signet events redeliver`)
 *   idle or store down: wait poll (doubling up to 30 s while the store is down)
 * </pre>
 *
 * Every attempt is reported ({@link DeliveryReport}: per-sink metrics and a rate-limited WARN line
 * per failing sink, dead letters included), never logged here one line per delivery: a sink that is
 * down while thousands of events wait would flood the log.
 *
 * <p>The lease makes claims safe across nodes: a delivery is handed to one relay at a time; if a node
 * dies holding it, the lease runs out and another node retries it (at-least-once; receivers dedupe
 * by event id). Times stored in the outbox come from the injected clock.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    static final int BATCH = 100;
    static final Duration MAX_IDLE = Duration.ofSeconds(30);

    private final Transactions transactions;
    private final OutboxStore store;
    private final Map<String, Sink> sinks = new LinkedHashMap<>();
    private final RelaySettings settings;
    private final String node;
    private final Clock clock;
    private final DeliveryReport report;
    private final ExecutorService deliveries = Executors.newVirtualThreadPerTaskExecutor();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nudged = lock.newCondition();
    private volatile boolean running;
    private volatile long drainUntil;
    private boolean nudge;
    private Thread thread;

    public OutboxRelay(Transactions transactions, OutboxStore store, List<Sink> sinks, RelaySettings settings, String node, Clock clock) {
        this(transactions, store, sinks, settings, node, clock, DeliveryReport.NONE);
    }

    /** {@code report} hears of every attempt (per-sink metrics, rate-limited log lines). */
    public OutboxRelay(Transactions transactions, OutboxStore store, List<Sink> sinks, RelaySettings settings, String node, Clock clock,
            DeliveryReport report) {
        this.report = Objects.requireNonNull(report, "report");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.store = Objects.requireNonNull(store, "store");
        sinks.forEach(s -> this.sinks.put(s.id(), s));
        this.settings = Objects.requireNonNull(settings, "settings");
        this.node = Objects.requireNonNull(node, "node");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public OutboxRelay start() {
        running = true;
        thread = Thread.ofVirtual().name("signet-outbox-relay").start(this::loop);
        return this;
    }

    /** Asks the relay to look for work now instead of at its next poll. */
    public void wake() {
        lock.lock();
        try {
            nudge = true;
            nudged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Deliveries not yet delivered nor dead (for metrics). */
    public long backlog() {
        return transactions.read(store::backlog);
    }

    /** Deliveries in the dead-letter state (for metrics and alerts). */
    public long deadLetters() {
        return transactions.read(store::deadLetters);
    }

    private void loop() {
        Duration idle = settings.poll();
        try {
            poll(idle);
        } finally {
            drain();
        }
    }

    private void poll(Duration first) {
        Duration idle = first;
        while (running) {
            try {
                int done = runOnce();
                idle = settings.poll();
                if (done > 0) {
                    continue;
                }
            } catch (RuntimeException e) {
                LOG.warn("outbox relay: store unavailable, will retry", kv("retry_in_ms", idle.toMillis()), kv("detail", e.getMessage()));
                idle = min(idle.multipliedBy(2), MAX_IDLE);
            }
            pause(idle);
        }
    }

    /**
     * On stop: deliver what is due now, pass after pass, until nothing is left or the grace period
     * ends (what is not delivered stays in the outbox, durable, for the next start).
     */
    private void drain() {
        try {
            while (System.nanoTime() < drainUntil && !Thread.currentThread().isInterrupted() && runOnce() > 0) {
                // keep going
            }
        } catch (RuntimeException e) {
            LOG.warn("outbox relay: final delivery pass failed; events stay in the outbox", kv("detail", e.getMessage()));
        }
    }

    /** One pass: fan out, claim, deliver, record. Returns how many deliveries were attempted. */
    int runOnce() {
        Instant now = clock.instant();
        transactions.write(tx -> store.fanOut(tx, this::sinksFor, now, BATCH));
        List<Delivery> claimed = transactions.write(tx -> store.claimDue(tx, node, now, now.plus(settings.lease()), BATCH));
        if (claimed.isEmpty()) {
            return 0;
        }
        List<Future<Optional<String>>> results = new ArrayList<>();
        for (Delivery d : claimed) {
            results.add(deliveries.submit(() -> attempt(d)));
        }
        List<Optional<String>> outcomes = new ArrayList<>();
        for (Future<Optional<String>> f : results) {
            outcomes.add(await(f));
        }
        Instant after = clock.instant();
        for (int i = 0; i < claimed.size(); i++) {
            Delivery d = claimed.get(i);
            int attempts = d.attempts() + 1;
            report.attempted(d.sink(), d.event().id(), attempts, outcomes.get(i),
                    outcomes.get(i).isPresent() && attempts >= settings.maxAttempts());
        }
        int lost = transactions.write(tx -> {
            int notHeld = 0;
            for (int i = 0; i < claimed.size(); i++) {
                Delivery d = claimed.get(i);
                Optional<String> error = outcomes.get(i);
                boolean recorded;
                if (error.isEmpty()) {
                    recorded = store.delivered(tx, d, after);
                } else {
                    int attempts = d.attempts() + 1;
                    boolean dead = attempts >= settings.maxAttempts();
                    recorded = store.failed(tx, d, attempts, after.plus(backoff(attempts)), error.get(), dead);
                }
                notHeld += recorded ? 0 : 1;
            }
            return notHeld;
        });
        if (lost > 0) {
            // The lease ran out before the outcomes were recorded (a stalled node): whoever claimed them
            // since owns them; they may be delivered twice (at-least-once), never lost or marked wrongly.
            LOG.warn("outbox relay: lease ran out before the outcome was recorded; left to the newer claim",
                    kv("deliveries", lost), kv("lease_ms", settings.lease().toMillis()));
        }
        return claimed.size();
    }

    private List<String> sinksFor(String type) {
        return sinks.values().stream().filter(s -> s.accepts(type)).map(Sink::id).toList();
    }

    /** Empty when delivered, else the error (short, for the outbox row and the log). */
    private Optional<String> attempt(Delivery d) {
        Sink sink = sinks.get(d.sink());
        if (sink == null) {
            return Optional.of("no sink '" + d.sink() + "' is configured");
        }
        try {
            sink.deliver(d.event());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (Exception e) {
            String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return Optional.of(m.length() > 300 ? m.substring(0, 300) : m);
        }
    }

    private static Optional<String> await(Future<Optional<String>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.of(String.valueOf(e.getCause()));
        }
    }

    Duration backoff(int attempts) {
        Duration d = settings.backoff();
        for (int i = 1; i < attempts && d.compareTo(settings.maxBackoff()) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return min(d, settings.maxBackoff());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }

    private void pause(Duration d) {
        lock.lock();
        try {
            long left = d.toNanos();
            while (running && !nudge && left > 0) {
                left = nudged.awaitNanos(left);
            }
            nudge = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops polling, lets the batch in flight finish and be recorded (it is what the relay holds in
     * memory; everything else is already durable in the outbox), within {@code grace}.
     */
    public void stop(Duration grace) {
        drainUntil = System.nanoTime() + grace.toNanos() / 2;
        running = false;
        wake();
        if (thread != null) {
            try {
                if (!thread.join(grace)) {
                    LOG.warn("outbox relay: in-flight deliveries did not finish in time; their leases expire and they are retried");
                    thread.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        deliveries.shutdownNow();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }

}
