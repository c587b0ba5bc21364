package dev.signet.harness;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.signet.observe.RequestContext;
import java.util.Arrays;
import java.util.Optional;
import net.logstash.logback.marker.SingleFieldAppendingMarker;
import org.slf4j.LoggerFactory;

/**
 * Collects what Signet's error mapper logs, to read the operator-facing detail of a failure by its
 * correlation id (the page shows only the public description). Attach in {@code @BeforeAll},
 * {@link #close()} in {@code @AfterAll}.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        this("dev.signet.web.ErrorResponses");
    }

    private LogCapture(String loggerName) {
        logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    /**
     * Everything logged in this JVM (the root logger), Helidon's JUL output included (bridged to SLF4J
     * as {@code signet serve} does), to assert that a request left no ERROR and no stack trace.
     */
    public static LogCapture everything() {
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
        return new LogCapture(Logger.ROOT_LOGGER_NAME);
    }

    /** What one class logs (e.g. the probe runner's WARN lines). */
    public static LogCapture forLogger(Class<?> logger) {
        return new LogCapture(logger.getName());
    }

    /** What the logger {@code name} logs (a class not visible to the test). */
    public static LogCapture forLogger(String name) {
        return new LogCapture(name);
    }

    /** Every event captured so far. */
    public java.util.List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return java.util.List.copyOf(appender.list);
        }
    }

    /** Every event captured so far that was logged with {@code correlationId}. */
    public java.util.List<ILoggingEvent> of(String correlationId) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> correlationId.equals(e.getMDCPropertyMap().get(RequestContext.CORRELATION_ID)))
                    .toList();
        }
    }

    /** Events at ERROR or carrying a stack trace, captured so far (from any request or thread). */
    public java.util.List<ILoggingEvent> problems() {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR)
                    || e.getThrowableProxy() != null).toList();
        }
    }

    /** Forgets what was captured so far. */
    public void clear() {
        synchronized (appender.list) {
            appender.list.clear();
        }
    }

    /** The {@code detail} logged with {@code correlationId}; fails the test when there is none. */
    public String detail(String correlationId) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> correlationId.equals(e.getMDCPropertyMap().get(RequestContext.CORRELATION_ID)))
                    .map(e -> field(e, "detail").orElse("")).findFirst()
                    .orElseThrow(() -> new AssertionError("nothing logged for correlation id " + correlationId));
        }
    }

    /** A structured field ({@code kv(name, value)}) of a captured event. */
    public static Optional<String> field(ILoggingEvent e, String name) {
        Object[] args = e.getArgumentArray();
        if (args == null) {
            return Optional.empty();
        }
        return Arrays.stream(args).filter(a -> a instanceof SingleFieldAppendingMarker m && m.getFieldName().equals(name))
                .map(a -> ((SingleFieldAppendingMarker) a).toStringSelf().substring(name.length() + 1)).findFirst(); // "name=value"
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
