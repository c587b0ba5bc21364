package dev.signet.observe;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import net.logstash.logback.argument.StructuredArgument;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * The one log encoder (configured in {@code logback.xml}): renders a line as JSON (logstash
 * layout: message, level, logger, MDC with the correlation id, structured arguments as fields,
 * stack trace) or as plain text for development, then passes the whole finished line through
 * {@link Redactor}. Nothing reaches the output without that last step, whichever format.
 *
 * <p>The format comes from {@code <format>} ({@code json} or {@code text}; logback.xml reads
 * {@code SIGNET_LOG_FORMAT}) and can be switched at run time by {@link LogFormat}.
 */
public final class RedactingEncoder extends EncoderBase<ILoggingEvent> {

    private static final byte[] EMPTY = new byte[0];

    private final LogstashEncoder json = new LogstashEncoder();
    private volatile boolean text;

    /** {@code json} (default) or {@code text}; anything else is JSON. */
    public void setFormat(String format) {
        this.text = "text".equals(format.strip().toLowerCase(Locale.ROOT));
    }

    public String format() {
        return text ? "text" : "json";
    }

    @Override
    public void start() {
        json.setContext(getContext());
        json.start();
        super.start();
    }

    @Override
    public void stop() {
        json.stop();
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return EMPTY;
    }

    @Override
    public byte[] footerBytes() {
        return EMPTY;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        String line = text ? text(event) : new String(json.encode(event), StandardCharsets.UTF_8);
        return Redactor.redact(line).getBytes(StandardCharsets.UTF_8);
    }

    /** {@code time LEVEL logger [correlation id] message key=value… } then the stack trace. */
    static String text(ILoggingEvent e) {
        StringBuilder sb = new StringBuilder(160);
        sb.append(Instant.ofEpochMilli(e.getTimeStamp())).append(' ').append(e.getLevel()).append(' ');
        String logger = e.getLoggerName();
        sb.append(logger, logger.lastIndexOf('.') + 1, logger.length());
        Map<String, String> mdc = e.getMDCPropertyMap();
        String id = mdc.get(RequestContext.CORRELATION_ID);
        if (id != null) {
            sb.append(" [").append(id).append(']');
        }
        sb.append(' ').append(e.getFormattedMessage());
        Object[] args = e.getArgumentArray();
        if (args != null) {
            for (Object a : args) {
                if (a instanceof StructuredArgument) {
                    sb.append(' ').append(a);
                }
            }
        }
        mdc.forEach((k, v) -> {
            if (!k.equals(RequestContext.CORRELATION_ID)) {
                sb.append(' ').append(k).append('=').append(v);
            }
        });
        sb.append(System.lineSeparator());
        IThrowableProxy t = e.getThrowableProxy();
        if (t != null) {
            sb.append(ThrowableProxyUtil.asString(t)).append(System.lineSeparator());
        }
        return sb.toString();
    }
}
