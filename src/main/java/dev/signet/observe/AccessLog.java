package dev.signet.observe;

import static net.logstash.logback.argument.StructuredArguments.kv;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request when {@code logging.access_log} is on (logger {@code signet.access}): method,
 * path, status, the query (field {@code query}) and duration. The query holds codes and state, so this line goes through
 * the same {@link Redactor} as every other; it carries the correlation id from the MDC.
 */
public final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("signet.access");

    private final boolean enabled;

    public AccessLog(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean enabled() {
        return enabled;
    }

    /** {@code query} raw, "" when none; it goes through the redaction layer like everything else. */
    public void request(String method, String path, String query, int status, long startedNanos) {
        if (enabled) {
            LOG.info("{} {} {}", method, path, status, kv("query", query), kv("duration_ms", (System.nanoTime() - startedNanos) / 1_000_000));
        }
    }
}
