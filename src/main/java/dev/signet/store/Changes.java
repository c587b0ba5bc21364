package dev.signet.store;

/**
 * Tells every node about a {@link Change}, so per-node caches never outlive a revocation by more
 * than a moment (issue 13). {@link #publish} is called inside the transaction that makes the
 * change and is delivered only when it commits (PostgreSQL {@code NOTIFY} semantics): a node never
 * drops a cache and then refills it from data that is not yet committed.
 *
 * <p>The node that makes a change updates its own caches itself, after the commit; listeners must
 * be idempotent, because on PostgreSQL a node also hears its own notifications.
 */
public interface Changes {

    /** One node, one process (the embedded store): nobody else to tell. */
    Changes LOCAL = (tx, change) -> {};

    void publish(Tx tx, Change change);

    /** What a node does when another node changed something. Called on the listener's own thread. */
    interface Listener {
        void changed(Change change);

        /**
         * Notifications may have been missed (the listening connection was lost and is back):
         * drop every cache.
         */
        void resync();
    }
}
