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

    private final Logger logger = (Logger) LoggerFactory.getLogger("dev.signet.web.ErrorResponses");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    public LogCapture() {
        appender.start();
        logger.addAppender(appender);
    }

    /** The {@code detail} logged with {@code correlationId}; fails the test when there is none. */
    public String detail(String correlationId) {
        synchronized (appender.list) {
            return appender.list.stream().filter(e -> correlationId.equals(e.getMDCPropertyMap().get(RequestContext.CORRELATION_ID)))
                    .map(e -> field(e, "detail").orElse("")).findFirst()
                    .orElseThrow(() -> new AssertionError("nothing logged for correlation id " + correlationId));
        }
    }

    private static Optional<String> field(ILoggingEvent e, String name) {
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
