package dev.signet.event;

import dev.signet.store.AuditStore;
import dev.signet.store.OutboxStore;
import dev.signet.store.SinkBacklog;
import dev.signet.store.StoredEvent;
import dev.signet.store.Transactions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Operator actions on events: redeliver dead letters, read the audit log, outbox gauges. */
public final class EventAdmin {

    private final Transactions transactions;
    private final OutboxStore outbox;
    private final AuditStore audit;
    private final Clock clock;

    public EventAdmin(Transactions transactions, OutboxStore outbox, AuditStore audit, Clock clock) {
        this.transactions = transactions;
        this.outbox = outbox;
        this.audit = audit;
        this.clock = clock;
    }

    /** Dead deliveries (all, or of one event and/or one sink) back to pending; returns how many. */
    public int redeliver(Optional<String> eventId, Optional<String> sink) {
        return transactions.write(tx -> outbox.redeliver(tx, eventId, sink, clock.instant()));
    }

    public List<StoredEvent> audit(AuditStore.Query q) {
        return transactions.read(tx -> audit.find(tx, q));
    }

    public long backlog() {
        return transactions.read(outbox::backlog);
    }

    public long deadLetters() {
        return transactions.read(outbox::deadLetters);
    }

    /** Per sink: its oldest pending event and its dead letters (per-sink gauges). */
    public Map<String, SinkBacklog> bySink(List<String> sinks) {
        return transactions.read(tx -> outbox.bySink(tx, sinks));
    }
}
