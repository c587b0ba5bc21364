package dev.signet.event;

import dev.signet.store.AuditStore;
import dev.signet.store.StoredEvent;
import dev.signet.store.Transactions;
import java.util.List;

/** Copies every event into the audit log table (idempotent: a redelivery is a no-op). */
public record AuditSink(Transactions transactions, AuditStore audit) implements Sink {

    public static final String ID = "audit";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void deliver(StoredEvent event) {
        deliverAll(List.of(event));
    }

    /** A relay pass's events in one transaction (one commit, not one per event). */
    @Override
    public boolean batches() {
        return true;
    }

    @Override
    public void deliverAll(List<StoredEvent> events) {
        transactions.write(tx -> {
            for (StoredEvent e : events) {
                audit.record(tx, e);
            }
            return null;
        });
    }
}
