package dev.signet.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.signet.config.ContainmentSettings.RelaySettings;
import dev.signet.harness.MutableClock;
import dev.signet.store.AuditStore;
import dev.signet.store.StoredEvent;
import dev.signet.store.jdbc.Database;
import dev.signet.store.jdbc.JdbcAudit;
import dev.signet.store.jdbc.JdbcOutbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a sink that batches (the audit log) gets a relay pass's deliveries in one call, one
 * store transaction instead of one per event; a failed batch is retried as a whole, and sinks that
 * do not batch still get one delivery per event.
 */
class BatchingSinkTest {

    static final RelaySettings SETTINGS = new RelaySettings(Duration.ofMillis(20), Duration.ofMillis(50), Duration.ofMillis(200), 5,
            Duration.ofSeconds(30));

    /** Records its calls; fails its first {@code failures} calls. */
    static final class Recording implements Sink {
        final String id;
        final boolean batches;
        final AtomicInteger failures;
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();

        Recording(String id, boolean batches, int failures) {
            this.id = id;
            this.batches = batches;
            this.failures = new AtomicInteger(failures);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public boolean batches() {
            return batches;
        }

        @Override
        public void deliver(StoredEvent e) {
            deliverAll(List.of(e));
        }

        @Override
        public void deliverAll(List<StoredEvent> events) {
            calls.add(events.stream().map(StoredEvent::id).toList());
            if (failures.getAndDecrement() > 0) {
                throw new IllegalStateException("receiver down");
            }
            events.forEach(e -> delivered.computeIfAbsent(e.id(), k -> new AtomicInteger()).incrementAndGet());
        }
    }

    static List<String> append(Database db, MutableClock clock, int n) {
        JdbcOutbox outbox = new JdbcOutbox();
        List<String> ids = IntStream.range(0, n).mapToObj(i -> UUID.randomUUID().toString()).toList();
        db.write(tx -> {
            for (String id : ids) {
                outbox.append(tx, new StoredEvent(id, "default", "test.event", clock.instant(), Optional.empty(), Optional.empty(), "{}"));
            }
            return null;
        });
        return ids;
    }

    @Test
    void relayWhenSinkBatchesThenOneCallPerPassAndOthersOnePerEvent() throws Exception {
        MutableClock clock = new MutableClock();
        Recording batching = new Recording("audit-like", true, 0);
        Recording single = new Recording("webhook:single", false, 0);
        Path dir = Files.createTempDirectory("batching-sink");
        try (Database db = Database.openEmbedded(dir)) {
            List<String> ids = append(db, clock, 30);
            OutboxRelay relay = new OutboxRelay(db, new JdbcOutbox(), List.of(batching, single), SETTINGS, "node", clock).start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> batching.delivered.size() == 30 && single.delivered.size() == 30);
            } finally {
                relay.stop(Duration.ofSeconds(5));
            }
            assertThat(batching.calls).as("the 30 events were claimed in one pass: one call").hasSize(1);
            assertThat(batching.calls.getFirst()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(single.calls).hasSize(30).allSatisfy(c -> assertThat(c).hasSize(1));
            assertThat(batching.delivered.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
        }
    }

    @Test
    void relayWhenBatchFailsThenEveryEventOfItRetriedAndDelivered() throws Exception {
        MutableClock clock = new MutableClock();
        Recording batching = new Recording("audit-like", true, 1);
        Path dir = Files.createTempDirectory("batching-sink");
        try (Database db = Database.openEmbedded(dir)) {
            List<String> ids = append(db, clock, 10);
            OutboxRelay relay = new OutboxRelay(db, new JdbcOutbox(), List.of(batching), SETTINGS, "node", clock).start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> batching.calls.size() >= 1);
                clock.advance(Duration.ofSeconds(1)); // past the retry's backoff
                relay.wake();
                await().atMost(Duration.ofSeconds(30)).until(() -> batching.delivered.size() == 10);
            } finally {
                relay.stop(Duration.ofSeconds(5));
            }
            assertThat(batching.calls.getFirst()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(batching.delivered.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            long backlog = db.read(tx -> new JdbcOutbox().backlog(tx));
            assertThat(backlog).isZero();
        }
    }

    @Test
    void auditSinkWhenBatchThenEveryEventInTheAuditLogOnce() throws Exception {
        MutableClock clock = new MutableClock();
        Path dir = Files.createTempDirectory("batching-sink");
        try (Database db = Database.openEmbedded(dir)) {
            AuditSink audit = new AuditSink(db, new JdbcAudit());
            List<StoredEvent> events = IntStream.range(0, 5).mapToObj(i -> new StoredEvent(UUID.randomUUID().toString(), "default",
                    "test.event", clock.instant(), Optional.empty(), Optional.empty(), "{}")).toList();

            audit.deliverAll(events);
            audit.deliverAll(events.subList(0, 2)); // a redelivery is a no-op

            assertThat(audit.batches()).isTrue();
            List<StoredEvent> logged = db.read(tx -> new JdbcAudit().find(tx, new AuditStore.Query(Optional.of("default"), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), 100)));
            assertThat(logged).extracting(StoredEvent::id)
                    .containsExactlyInAnyOrderElementsOf(events.stream().map(StoredEvent::id).toList());
        }
    }
}
