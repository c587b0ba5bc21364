package dev.signet.observe;

import static net.logstash.logback.argument.StructuredArguments.kv;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import dev.signet.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The one redaction layer: events go through the encoder logback.xml really builds ({@link
 * RedactingEncoder}), in both formats, and every secret shape comes out masked wherever it sits:
 * structured arguments, the formatted message, MDC, exception messages and stack traces.
 */
class LogRedactionTest {

    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    private static final String OPAQUE = "Zx8f2Qk1mN3pR5tV7wY9aB2cD4eF6gH8jK0lM1nO3pQ";

    private static RedactingEncoder encoder() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        var appender = (OutputStreamAppender<ILoggingEvent>) ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("OUT");
        return (RedactingEncoder) appender.getEncoder();
    }

    private static String encode(String format, Map<String, String> mdc, Throwable t, String message, Object... args) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
        LoggingEvent event = new LoggingEvent(LogRedactionTest.class.getName(), root, Level.WARN, message, t, args);
        event.setMDCPropertyMap(mdc);
        RedactingEncoder enc = encoder();
        String before = enc.format();
        enc.setFormat(format);
        try {
            return new String(enc.encode(event), StandardCharsets.UTF_8);
        } finally {
            enc.setFormat(before);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "text"})
    void logWhenStructuredSecretsThenMasked(String format) {
        String line = encode(format, Map.of(), null, "token issued", kv("access_token", "at-SECRET-1"), kv("refresh_token", "rt-SECRET-2"),
                kv("client_secret", "cs-SECRET-3"), kv("code", "code-SECRET-4"), kv("authorization", "Basic U0VDUkVUNQ=="),
                kv("connection", "corp"));

        assertThat(line).doesNotContain("SECRET").doesNotContain("U0VDUkVUNQ").contains("corp").contains("****");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "text"})
    void logWhenSecretsInFormattedMessageThenMasked(String format) {
        String line = encode(format, Map.of(), null, "callback {} with {} and {}",
                "/callback/dev?code=code-SECRET-7&state=st-SECRET-8&iss=x", "Authorization: Bearer bearer-SECRET-9",
                "Cookie: signet_session=sess-SECRET-10; theme=dark");

        assertThat(line).doesNotContain("SECRET").contains("/callback/dev?code=****").contains("iss=x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "text"})
    void logWhenJwtOrOpaqueSecretAnywhereThenMasked(String format) {
        String line = encode(format, Map.of("correlation_id", "abcdefgh12345678"), null, "upstream said " + JWT,
                kv("detail", "id_token was " + JWT + " and the code " + OPAQUE));

        assertThat(line).doesNotContain(JWT).doesNotContain(OPAQUE).contains("upstream said").contains("abcdefgh12345678");
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "text"})
    void logWhenSecretsInMdcOrExceptionThenMasked(String format) {
        Exception e = new IllegalStateException("token endpoint said {\"access_token\":\"at-SECRET-11\",\"password\":\"pw-SECRET-12\"}");
        String line = encode(format, Map.of("cookie", "sess-SECRET-13"), e, "failed");

        assertThat(line).doesNotContain("SECRET").contains("IllegalStateException").contains("LogRedactionTest");
    }

    @Test
    void logWhenSecretRecordPrintedThenNeverItsValue() {
        String line = encode("json", Map.of(), null, "settings {}", new Secret("plain-SECRET-6"));

        assertThat(line).doesNotContain("SECRET-6").contains("Secret[****]");
    }

    @Test
    void redactWhenCamelCaseFieldsOfRecordsThenMasked() {
        assertThat(Redactor.redact("UpstreamLogin[stateHash=h-SECRET, nonce=n-SECRET, codeVerifier=v-SECRET, clientSecret=c-SECRET]"))
                .doesNotContain("SECRET").contains("UpstreamLogin[");
    }

    @Test
    void redactWhenLongSnakeCaseFieldNameThenKeptButLongOpaqueValueMasked() {
        String field = "authorization_response_iss_parameter_supported";
        String opaque = "q3Rf9x_Kp2mZ8vB1nT4cW7yH0jL5sD6gA9eU2oI3rY";

        assertThat(Redactor.redact("field=" + field + " value=" + opaque)).contains(field).doesNotContain(opaque);
        assertThat(Redactor.redact("all_lower_case_but_no_separator_aaaaaaaaaaaaaaaaaa".replace("_", ""))).isEqualTo(Redactor.MASK);
    }

    @Test
    void redactWhenOrdinaryTextThenUnchanged() {
        String s = "grant_type=authorization_code reason=upstream.issuer_mismatch connection=corp trace 4bf92f3577b34da6a3ce929d0e0e4736";

        assertThat(Redactor.redact(s)).isEqualTo(s);
    }

    @Test
    void formatWhenTextThenOneReadableLineWithCorrelationId() {
        String line = encode("text", Map.of("correlation_id", "req-12345678"), null, "upstream failure", kv("reason", "upstream.denied"));

        assertThat(line).contains("WARN").contains("[req-12345678]").contains("upstream failure reason=upstream.denied").doesNotContain("{\"");
    }
}
