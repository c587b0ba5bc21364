package dev.signet.store.jdbc;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.store.Change;
import dev.signet.store.Changes;
import dev.signet.store.Tx;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Changes} over PostgreSQL {@code LISTEN/NOTIFY} (an existing engine, not a home-made
 * protocol). {@link #publish} runs {@code pg_notify} in the caller's transaction, so the
 * notification goes out when, and only if, the change commits. Each node holds one dedicated
 * connection (outside the pool) that {@code LISTEN}s on {@link #CHANNEL}, polled by one daemon
 * virtual thread with {@code PGConnection.getNotifications(timeout)}.
 *
 * <p>When that connection is lost (PostgreSQL restarted, the backend terminated, the network cut)
 * the thread reconnects by itself, with a backoff from 100 ms up to 5 s, and then calls {@link
 * Changes.Listener#resync()}: anything sent while it was away is lost, so the node drops every
 * cache rather than trust it. {@link #reconnects()} counts those resyncs (a metric).
 */
public final class PgChanges implements Changes, AutoCloseable {

    public static final String CHANNEL = "signet_changes";
    private static final Logger LOG = LoggerFactory.getLogger(PgChanges.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final String url;
    private final Properties credentials;
    private final AtomicLong reconnects = new AtomicLong();
    private volatile boolean running;
    private volatile @org.jspecify.annotations.Nullable Connection connection;
    private @org.jspecify.annotations.Nullable Thread thread;

    /** {@code url} is the {@code jdbc:postgresql:} URL of the store; {@code user}/{@code password} may be null (in the URL). */
    public PgChanges(String url, @org.jspecify.annotations.Nullable String user, @org.jspecify.annotations.Nullable String password) {
        this.url = Objects.requireNonNull(url, "url");
        this.credentials = new Properties();
        if (user != null) {
            credentials.setProperty("user", user);
        }
        if (password != null) {
            credentials.setProperty("password", password);
        }
        credentials.setProperty("ApplicationName", "signet-listen");
        credentials.setProperty("tcpKeepAlive", "true");
    }

    @Override
    public void publish(Tx tx, Change change) {
        Sql.list(tx, "SELECT pg_notify(?, ?)", rs -> Boolean.TRUE, CHANNEL, change.wire());
    }

    /** Starts listening; {@code listener} hears every change any node publishes, this one included. */
    public PgChanges start(Changes.Listener listener) {
        Objects.requireNonNull(listener, "listener");
        running = true;
        Connection first = null;
        try {
            first = listen(); // the first connection at start: a failure here is reported by the loop, not fatal
        } catch (SQLException e) {
            LOG.warn("changes: cannot listen yet; will retry", kv("detail", e.getMessage()));
        }
        Connection initial = first;
        thread = Thread.ofVirtual().name("signet-changes").start(() -> loop(listener, initial));
        return this;
    }

    /** How many times the listening connection was re-established (each time every cache was dropped). */
    public long reconnects() {
        return reconnects.get();
    }

    /** The backend pid of the listening connection, or -1 when there is none (tests terminate it). */
    public int backendPid() {
        Connection c = connection;
        if (c == null) {
            return -1;
        }
        try {
            return c.unwrap(PGConnection.class).getBackendPID();
        } catch (SQLException e) {
            return -1;
        }
    }

    private Connection listen() throws SQLException {
        Connection c = DriverManager.getConnection(url, credentials);
        try (Statement st = c.createStatement()) {
            st.execute("LISTEN " + CHANNEL);
        } catch (SQLException e) {
            close(c);
            throw e;
        }
        connection = c;
        return c;
    }

    private void loop(Changes.Listener listener, @org.jspecify.annotations.Nullable Connection initial) {
        Connection c = initial;
        boolean missed = initial == null;
        Duration backoff = MIN_BACKOFF;
        while (running) {
            try {
                if (c == null) {
                    c = listen();
                    if (missed) {
                        reconnects.incrementAndGet();
                        LOG.info("changes: listening again; every cache dropped (notifications may have been missed)",
                                kv("reconnects", reconnects.get()));
                        listener.resync();
                    }
                    missed = false;
                    backoff = MIN_BACKOFF;
                }
                PGNotification[] batch = c.unwrap(PGConnection.class).getNotifications((int) POLL.toMillis());
                if (batch != null) {
                    for (PGNotification n : batch) {
                        deliver(listener, n.getParameter());
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                LOG.warn("changes: listening connection lost; reconnecting", kv("retry_in_ms", backoff.toMillis()),
                        kv("detail", e.getMessage()));
                close(c);
                c = null;
                connection = null;
                missed = true;
                pause(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        close(c);
    }

    private static void deliver(Changes.Listener listener, String payload) {
        Change.parse(payload).ifPresentOrElse(change -> {
            try {
                listener.changed(change);
            } catch (RuntimeException e) {
                // a cache that cannot be refreshed now (store down) is dropped by the listener; never stop listening
                LOG.warn("changes: applying a change failed", kv("change", payload), kv("detail", e.getMessage()));
            }
        }, () -> LOG.debug("changes: unknown notification skipped", kv("change", payload)));
    }

    private void pause(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void close(@org.jspecify.annotations.Nullable Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // gone either way
            }
        }
    }

    @Override
    public void close() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close(connection);
    }
}
