package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.store.Change;
import dev.signet.store.Changes;
import dev.signet.store.Transactions;
import dev.signet.store.jdbc.Database;
import dev.signet.store.jdbc.JdbcHousekeeping;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a node does off the request path (announcements, housekeeping, gauges), for the composition root. */
final class NodeTasks {

    private static final Logger LOG = LoggerFactory.getLogger(NodeTasks.class);

    private NodeTasks() {}

    /** Tells the other nodes; a failure is logged only (their caches are bounded in time anyway). */
    static void announce(Transactions store, Changes changes, Change change) {
        try {
            store.write(tx -> {
                changes.publish(tx, change);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("could not announce a change to the other nodes", kv("change", change.wire()), kv("detail", e.getMessage()));
        }
    }

    /** A gauge value read at scrape time; NaN when the store cannot answer (scrapes never fail). */
    static double gauge(java.util.function.LongSupplier read) {
        try {
            return read.getAsLong();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    static void sweep(Database db, JdbcHousekeeping housekeeping, Clock clock) {
        try {
            int removed = db.write(tx -> housekeeping.deleteExpired(tx, clock.instant()));
            LOG.debug("housekeeping", kv("removed", removed));
        } catch (RuntimeException e) {
            LOG.warn("housekeeping failed; will retry", kv("detail", e.getMessage()));
        }
    }
}
