package dev.signet.nodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.config.ContainmentSettings.RelaySettings;
import dev.signet.event.OutboxRelay;
import dev.signet.event.Sink;
import dev.signet.harness.MutableClock;
import dev.signet.harness.Postgres;
import dev.signet.store.StoredEvent;
import dev.signet.store.jdbc.ConnectionGate;
import dev.signet.store.jdbc.Database;
import dev.signet.store.jdbc.JdbcOutbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay with several nodes on one PostgreSQL database (issue 13): claims are leases
 * taken with {@code FOR UPDATE SKIP LOCKED}, so every event is delivered at least once, never by
 * two live relays at the same time, and a relay that dies holding a batch loses nothing: its lease
 * runs out and another relay delivers the batch.
 */
class OutboxRelaysTest {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final RelaySettings SETTINGS = new RelaySettings(Duration.ofMillis(20), Duration.ofSeconds(1), Duration.ofSeconds(5), 5, LEASE);

    /** A receiver that counts completed deliveries per event id and notices two relays delivering one event at once. */
    static final class Receiver {
        final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();
        final Set<String> inFlight = ConcurrentHashMap.newKeySet();
        final AtomicInteger overlaps = new AtomicInteger();
        final Map<String, AtomicInteger> byNode = new ConcurrentHashMap<>();

        Sink sink(String node) {
            return new Sink() {
                @Override
                public String id() {
                    return "webhook:counter";
                }

                @Override
                public void deliver(StoredEvent e) throws Exception {
                    if (!inFlight.add(e.id())) {
                        overlaps.incrementAndGet();
                    }
                    try {
                        Thread.sleep(1); // a delivery takes a moment, so that overlaps could happen
                        delivered.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet();
                        byNode.computeIfAbsent(node, k -> new AtomicInteger()).incrementAndGet();
                    } finally {
                        inFlight.remove(e.id());
                    }
                }
            };
        }
    }

    static List<String> append(Database db, MutableClock clock, int n) {
        JdbcOutbox outbox = new JdbcOutbox();
        List<String> ids = java.util.stream.IntStream.range(0, n).mapToObj(i -> UUID.randomUUID().toString()).toList();
        db.write(tx -> {
            for (String id : ids) {
                outbox.append(tx, new StoredEvent(id, "default", "test.event", clock.instant(), Optional.empty(), Optional.empty(), "{}"));
            }
            return null;
        });
        return ids;
    }

    @Test
    void twoRelaysWhenManyEventsThenEachDeliveredExactlyOnceAndNeverConcurrently() {
        MutableClock clock = new MutableClock();
        Receiver receiver = new Receiver();
        try (Postgres.TestDatabase pg = Postgres.create();
                Database db = Database.openPostgres(pg.settings(), Duration.ofSeconds(5), ConnectionGate.OPEN)) {
            List<String> ids = append(db, clock, 600);
            OutboxRelay a = new OutboxRelay(db, new JdbcOutbox(), List.of(receiver.sink("a")), SETTINGS, "node-a", clock).start();
            OutboxRelay b = new OutboxRelay(db, new JdbcOutbox(), List.of(receiver.sink("b")), SETTINGS, "node-b", clock).start();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> receiver.delivered.size() == ids.size());
                assertThat(receiver.delivered.keySet()).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(receiver.delivered.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
                assertThat(receiver.overlaps.get()).as("never delivered by two relays at once").isZero();
                // The receiver sees the last batch before its relay records it delivered: await that record.
                await().atMost(Duration.ofSeconds(30)).until(() -> db.read(tx -> new JdbcOutbox().backlog(tx)) == 0L);
                assertThat(receiver.delivered.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
                System.out.println("deliveries by node: " + receiver.byNode);
            } finally {
                a.stop(Duration.ofSeconds(5));
                b.stop(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void relayDiesHoldingABatchThenAnotherDeliversItAfterTheLease() throws Exception {
        MutableClock clock = new MutableClock();
        Receiver receiver = new Receiver();
        CountDownLatch claimed = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        Sink dying = new Sink() {
            @Override
            public String id() {
                return "webhook:counter";
            }

            @Override
            public void deliver(StoredEvent e) throws Exception {
                claimed.countDown();
                never.await(); // the node is gone mid-delivery: nothing is sent, nothing recorded
            }
        };
        try (Postgres.TestDatabase pg = Postgres.create();
                Database db = Database.openPostgres(pg.settings(), Duration.ofSeconds(5), ConnectionGate.OPEN)) {
            List<String> ids = append(db, clock, 50);
            OutboxRelay dead = new OutboxRelay(db, new JdbcOutbox(), List.of(dying), SETTINGS, "node-dead", clock).start();
            OutboxRelay alive = null;
            try {
                assertThat(claimed.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                alive = new OutboxRelay(db, new JdbcOutbox(), List.of(receiver.sink("alive")), SETTINGS, "node-alive", clock).start();
                // within the lease the batch is the dead node's: nothing is delivered twice at once
                OutboxRelay started = alive;
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> receiver.delivered.isEmpty());
                clock.advance(LEASE.plusSeconds(1));
                started.wake();
                await().atMost(Duration.ofSeconds(30)).until(() -> receiver.delivered.size() == ids.size());
                assertThat(receiver.delivered.values()).allSatisfy(c -> assertThat(c.get()).isEqualTo(1));
            } finally {
                never.countDown();
                dead.stop(Duration.ofSeconds(5));
                if (alive != null) {
                    alive.stop(Duration.ofSeconds(5));
                }
            }
        }
    }
}
