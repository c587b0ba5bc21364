package dev.signet.web;

import java.time.Duration;

/**
 * How many connections a listener holds open at once, and when an idle one is closed.
 *
 * <p>Every open connection holds heap whether or not a request is on it: a socket buffer, the
 * connection's parked virtual thread and its read state. Unbounded, a few thousand clients that keep
 * their connections open (browsers do for minutes; a load test with a new client per sign-in does)
 * filled the launcher's 80 MiB heap and the node exited on {@code OutOfMemoryError}. So the public
 * listener takes at most {@code server.max_connections} (by default sized from the heap:
 * {@code app.MemoryBudget}); Helidon accepts a connection beyond it only when another closes, so it
 * waits in the kernel's accept queue instead of taking the node down. A connection idle for
 * {@code server.idle_timeout} is closed (Helidon closes it between requests, never during one).
 */
final class ConnectionLimits {

    private ConnectionLimits() {}

    /** How often idle connections are looked for: a closed one has been idle at most this much longer than the timeout. */
    static Duration checkEvery(Duration idleTimeout) {
        Duration sixth = idleTimeout.dividedBy(6);
        Duration floor = Duration.ofMillis(250);
        return sixth.compareTo(floor) < 0 ? floor : sixth.compareTo(Duration.ofSeconds(15)) > 0 ? Duration.ofSeconds(15) : sixth;
    }
}
