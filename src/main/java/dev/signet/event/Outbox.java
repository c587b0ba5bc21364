package dev.signet.event;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.Ids;
import dev.signet.store.OutboxStore;
import dev.signet.store.StoredEvent;
import dev.signet.store.Transactions;
import dev.signet.store.Tx;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes events into the outbox. {@link #append} runs inside the caller's transaction, so an event
 * exists exactly when the change it describes was committed. {@link #appendLater} is for failure
 * events that have no transaction of their own (a refused sign-in): one small transaction on a
 * virtual thread, off the response path; if the store is down then, that event is logged instead.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Transactions transactions;
    private final OutboxStore store;
    private final Ids ids;
    private final Clock clock;
    private final ExecutorService later = Executors.newVirtualThreadPerTaskExecutor();

    public Outbox(Transactions transactions, OutboxStore store, Ids ids, Clock clock) {
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.store = Objects.requireNonNull(store, "store");
        this.ids = Objects.requireNonNull(ids, "ids");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void append(Tx tx, Event e) {
        store.append(tx, stored(e));
    }

    public void appendLater(Event e) {
        appendLater(e, tx -> {});
    }

    /** As {@link #appendLater(Event)}, with {@code also} written in the same small transaction (the failed sign-in's corpus entry). */
    public void appendLater(Event e, java.util.function.Consumer<Tx> also) {
        StoredEvent s = stored(e);
        try {
            later.execute(() -> {
                try {
                    transactions.write(tx -> {
                        store.append(tx, s);
                        also.accept(tx);
                        return null;
                    });
                } catch (RuntimeException x) {
                    LOG.warn("event not recorded: store unavailable", kv("event_type", s.type()), kv("event_id", s.id()),
                            kv("detail", x.getMessage()));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException x) {
            LOG.warn("event not recorded: shutting down", kv("event_type", s.type()), kv("event_id", s.id()));
        }
    }

    private StoredEvent stored(Event e) {
        return new StoredEvent(ids.id(), e.tenant(), e.type(), clock.instant(), e.userId(), e.connection(), JSON.writeValueAsString(e.data()));
    }

    /** Waits for the pending {@link #appendLater} writes (shutdown). */
    @Override
    public void close() {
        later.close();
    }
}
