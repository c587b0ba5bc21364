package dev.signet.connector;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * What {@link UpstreamHttp} reports about each call, implemented by the composition root with
 * metrics and traces (so connectors need not know the observability libraries): a call starts,
 * may add headers (W3C {@code traceparent}) and ends with a status or an error.
 */
public interface UpstreamObserver {

    /** {@code endpoint}: what is called, e.g. {@code token endpoint}, {@code discovery}. */
    Call start(String connection, String endpoint);

    /**
     * A tolerant reader ignored {@code field} of {@code payload} from {@code connection}: present,
     * but of the wrong JSON type {@code found} ({@code object}, {@code array}, {@code number}…); never
     * its value. The sign-in continues as if the field were absent.
     */
    default void ignored(String connection, String payload, String field, String found) {}

    /**
     * {@code connection}'s upstream answered {@code endpoint} with HTTP {@code status} and
     * {@code body} (null when it was no JSON or a 5xx; {@code status} 0: no answer, a timeout or an I/O error): raw, tokens and all, for the corpus recorder, which
     * makes it synthetic before anything is kept. Never log it.
     */
    default void answered(String connection, String endpoint, int status, @Nullable JsonNode body) {}

    /**
     * {@code connection}'s form POST to {@code endpoint} (the code exchange) authenticates Signet's
     * client as {@code clientAuth} ({@code client_secret_basic}, {@code client_secret_post}, both
     * joined by {@code +}, or {@code none}): recorded, so a replay notices a new build that sends its
     * credentials another way (issue 15: the Okta "credentials sent two ways" outage).
     */
    default void sent(String connection, String endpoint, String clientAuth) {}

    /** Both observers, {@code first}'s call headers sent. */
    static UpstreamObserver both(UpstreamObserver first, UpstreamObserver second) {
        return new UpstreamObserver() {
            @Override
            public Call start(String connection, String endpoint) {
                return first.start(connection, endpoint);
            }

            @Override
            public void ignored(String connection, String payload, String field, String found) {
                first.ignored(connection, payload, field, found);
                second.ignored(connection, payload, field, found);
            }

            @Override
            public void sent(String connection, String endpoint, String clientAuth) {
                first.sent(connection, endpoint, clientAuth);
                second.sent(connection, endpoint, clientAuth);
            }

            @Override
            public void answered(String connection, String endpoint, int status, @Nullable JsonNode body) {
                first.answered(connection, endpoint, status, body);
                second.answered(connection, endpoint, status, body);
            }
        };
    }

    /** One call in flight. */
    interface Call {
        /** Headers to send with the call (trace context). */
        Map<String, String> headers();

        /** {@code status} is the HTTP status, or 0 when there was no answer ({@code error} then says why). */
        void end(int status, @Nullable Throwable error);
    }

    UpstreamObserver NONE = (connection, endpoint) -> new Call() {
        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public void end(int status, @Nullable Throwable error) {}
    };
}
