package dev.signet.observe;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.OutputStreamAppender;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging.format} from the configuration once it is loaded (logback starts before
 * it, reading only {@code SIGNET_LOG_FORMAT}). The environment variable wins, so an operator can
 * always switch a deployed config to text without editing it.
 */
public final class LogFormat {

    public static final String ENV = "SIGNET_LOG_FORMAT";

    private LogFormat() {}

    /** The format now in effect ("json" or "text"), after applying {@code configured}. */
    public static String apply(Optional<String> configured, Map<String, String> env) {
        String format = Optional.ofNullable(env.get(ENV)).filter(s -> !s.isBlank()).or(() -> configured).orElse("json");
        String effective = "json";
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            var appenders = ctx.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
            while (appenders.hasNext()) {
                if (appenders.next() instanceof OutputStreamAppender<?> out && out.getEncoder() instanceof RedactingEncoder enc) {
                    enc.setFormat(format);
                    effective = enc.format();
                }
            }
        }
        return effective;
    }
}
