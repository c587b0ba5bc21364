package dev.signet.event;

import dev.signet.store.AuditStore;
import dev.signet.store.StoredEvent;
import dev.signet.store.Transactions;

/** Copies every event into the audit log table (idempotent: a redelivery is a no-op). */
public record AuditSink(Transactions transactions, AuditStore audit) implements Sink {

    public static final String ID = "audit";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public void deliver(StoredEvent event) {
        transactions.write(tx -> {
            audit.record(tx, event);
            return null;
        });
    }
}
