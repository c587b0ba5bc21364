package dev.signet.observe;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import dev.signet.config.Secret;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The one redaction layer is the masking decorator in logback.xml: this runs events through the
 * encoder that configuration really builds and checks that secrets come out masked.
 */
class LogRedactionTest {

    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";

    @SuppressWarnings("unchecked")
    private static String encode(String message, Object... args) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        var appender = (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender("JSON");
        Encoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder = appender.getEncoder();
        LoggingEvent event = new LoggingEvent(LogRedactionTest.class.getName(), root, Level.WARN, message, null, args);
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    @Test
    void logWhenStructuredSecretsThenMasked() {
        String line = encode("token issued", kv("access_token", "at-SECRET-1"), kv("refresh_token", "rt-SECRET-2"),
                kv("client_secret", "cs-SECRET-3"), kv("code", "code-SECRET-4"), kv("authorization", "Basic SECRET5"),
                kv("connection", "corp"));
        assertThat(line).doesNotContain("SECRET").contains("\"connection\":\"corp\"").contains("****");
    }

    @Test
    void logWhenJwtInMessageOrDetailThenMasked() {
        String line = encode("upstream said " + JWT, kv("detail", "id_token was " + JWT));
        assertThat(line).doesNotContain(JWT).contains("upstream said");
    }

    @Test
    void logWhenSecretRecordPrintedThenNeverItsValue() {
        String line = encode("settings {}", new Secret("plain-SECRET-6"));
        assertThat(line).doesNotContain("SECRET-6").contains("Secret[****]");
    }
}
