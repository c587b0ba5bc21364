package dev.signet.web;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The public listener's open connections, and what keeps idle ones from shutting new clients out.
 *
 * <p>With {@code server.max_connections} reached, Helidon accepts the next connection only when one
 * closes, and an idle kept-alive connection closes only after {@code server.idle_timeout} (75 s): a
 * few hundred clients that leave connections open would make every new one wait that long. So, like
 * nginx's reusable connections, once the open connections pass nine tenths of the limit the ones idle
 * longest (at least a second: not one between two requests of a page; the oldest first among equally
 * idle ones) are closed until they are back under it, at each new connection and every second. Helidon closes an idle connection while it waits
 * for a request line, never during a request, so only idle ones go; when every connection is busy,
 * new ones wait in the kernel's accept queue, as before.
 *
 * <p>It is the listener's HTTP/1.1 connection selector: Helidon's own (default configuration, no
 * upgrades: Signet serves HTTP/1.1 only) wrapped so each connection is counted while it runs.
 */
final class OpenConnections implements ServerConnectionSelector, AutoCloseable {

    /** How long a connection must have been idle before pressure closes it. */
    static final Duration MIN_IDLE = Duration.ofSeconds(1);

    private final ServerConnectionSelector http1 = Http1ConnectionSelector.builder().config(Http1Config.create()).build();
    private final Set<Tracked> open = ConcurrentHashMap.newKeySet();
    private final int highWater;
    private final AtomicLong closedIdle = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final ScheduledExecutorService every = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("signet-connections").factory());

    /** {@code limit}: the listener's {@code max_connections}. */
    OpenConnections(int limit) {
        this.highWater = limit - Math.max(1, limit / 10);
        every.scheduleWithFixedDelay(this::relieve, 1, 1, TimeUnit.SECONDS);
    }

    /** Connections open now. */
    int open() {
        return open.size();
    }

    /** Idle connections closed early because the listener was near its limit, since start. */
    long closedIdle() {
        return closedIdle.get();
    }

    /** Closes the longest-idle connections beyond the high-water mark (none idle under {@link #MIN_IDLE}). */
    void relieve() {
        int excess = open.size() - highWater;
        if (excess <= 0) {
            return;
        }
        // Helidon counts idle time in whole seconds: among equally idle connections, the oldest goes first
        List<Tracked> idle = open.stream().filter(c -> c.idleTime().compareTo(MIN_IDLE) >= 0)
                .sorted(Comparator.comparing(Tracked::idleTime).reversed().thenComparingLong(c -> c.order)).limit(excess).toList();
        for (Tracked c : idle) {
            c.close(false); // Helidon: interrupts the connection only while it waits for a request line
            closedIdle.incrementAndGet();
        }
    }

    @Override
    public int bytesToIdentifyConnection() {
        return http1.bytesToIdentifyConnection();
    }

    @Override
    public Support supports(BufferData request) {
        return http1.supports(request);
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return new Tracked(http1.connection(ctx));
    }

    @Override
    public void close() {
        every.shutdownNow();
    }

    /** Helidon's {@code handle}, either form. */
    private interface Serving {
        void run() throws InterruptedException;
    }

    /** One connection, counted from when it starts serving until it ends. */
    private final class Tracked implements ServerConnection {
        private final ServerConnection delegate;
        private final long order = accepted.incrementAndGet();

        Tracked(ServerConnection delegate) {
            this.delegate = delegate;
        }

        @Override
        public void handle(Semaphore requests) throws InterruptedException {
            counted(() -> delegate.handle(requests));
        }

        @Override
        public void handle(Limit requests) throws InterruptedException {
            counted(() -> delegate.handle(requests));
        }

        /** Serves the connection, counted while it runs; a new connection may relieve the listener first. */
        private void counted(Serving serving) throws InterruptedException {
            open.add(this);
            try {
                relieve();
                serving.run();
            } finally {
                open.remove(this);
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }
}
