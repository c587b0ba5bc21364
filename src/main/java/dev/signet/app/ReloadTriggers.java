package dev.signet.app;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What starts a reload: SIGHUP, and a change of the configuration file. The file is watched
 * through its directory (editors and config-map updates replace the file by a rename, which a
 * watch on the file itself would miss), but only events naming the file count: they are coalesced
 * for a short quiet period of the file (never of the folder, where a busy neighbour would hold a
 * reload back indefinitely) and a reload runs only when the file's content actually changed. The
 * configuration has no include mechanism, so the file is all there is to watch.
 *
 * <p>SIGHUP uses {@code sun.misc.Signal} (module jdk.unsupported, the only signal API the JDK
 * offers; {@code jdk.internal.misc.Signal} is not exported). If it is unavailable, SIGHUP is not
 * handled and a warning says so; the file watch still works.
 */
final class ReloadTriggers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadTriggers.class);
    /** Coalesces the bursts of events one save produces. */
    private static final long QUIET_MS = 150;
    /** A file rewritten without pause still reloads this often. */
    private static final long MAX_COALESCE_MS = 2000;

    private final ConfigReloader reloader;
    private final ConfigLoader loader;
    private final Path file;
    private final WatchService watch;
    private final Thread watcher;
    private final @Nullable Object previousHup;
    private volatile byte[] lastDigest;

    ReloadTriggers(ConfigReloader reloader, ConfigLoader loader, Path file) throws IOException {
        this.reloader = reloader;
        this.loader = loader;
        this.file = file.toAbsolutePath().normalize();
        this.lastDigest = digest();
        this.watch = FileSystems.getDefault().newWatchService();
        this.file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        this.watcher = Thread.ofPlatform().daemon().name("signet-config-watch").start(this::watchLoop);
        this.previousHup = installHup();
    }

    private @Nullable Object installHup() {
        try {
            sun.misc.Signal hup = new sun.misc.Signal("HUP");
            return sun.misc.Signal.handle(hup, s -> Thread.ofVirtual().start(() -> reload("SIGHUP", true)));
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("SIGHUP cannot be handled on this JVM; reload by changing the file", kv("detail", String.valueOf(e.getMessage())));
            return null;
        }
    }

    /**
     * Waits for an event on the configuration file itself; then coalesces that save's burst: it
     * reloads once {@value #QUIET_MS} ms pass without another event <em>on the file</em>, or after
     * {@value #MAX_COALESCE_MS} ms at the latest. Events on other files in the folder (a busy log
     * next to the config) are ignored and never delay a reload (issue 17 item 5).
     */
    private void watchLoop() {
        try {
            while (true) {
                if (!ours(watch.take())) {
                    continue;
                }
                long now = System.nanoTime();
                long latest = now + TimeUnit.MILLISECONDS.toNanos(MAX_COALESCE_MS);
                long quietUntil = now + TimeUnit.MILLISECONDS.toNanos(QUIET_MS);
                while (true) {
                    long left = Math.min(quietUntil, latest) - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    WatchKey next = watch.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (ours(next)) {
                        quietUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIET_MS);
                    }
                }
                reload("file change", false);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Whether {@code key}'s events include the configuration file; resets the key. */
    private boolean ours(WatchKey key) {
        boolean ours = false;
        for (WatchEvent<?> e : key.pollEvents()) {
            ours |= e.kind() == StandardWatchEventKinds.OVERFLOW || e.context() instanceof Path p && file.getFileName().equals(p);
        }
        key.reset();
        return ours;
    }

    private synchronized void reload(String trigger, boolean always) {
        byte[] now = digest();
        if (!always && Arrays.equals(now, lastDigest)) {
            return; // touched or rewritten with the same content
        }
        lastDigest = now;
        if (now.length == 0 && !Files.exists(file)) {
            return; // mid-replace (deleted, not yet created); the create event follows
        }
        reloader.reload(loader, file, trigger);
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        } catch (IOException e) {
            return new byte[0];
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            watch.close();
        } catch (IOException e) {
            LOG.debug("closing the config watch", kv("detail", e.getMessage()));
        }
        watcher.interrupt();
        if (previousHup instanceof sun.misc.SignalHandler h) {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), h);
        }
    }
}
