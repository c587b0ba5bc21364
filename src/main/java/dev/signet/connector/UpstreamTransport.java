package dev.signet.connector;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Where every upstream request of every connector kind goes out: the one seam between the
 * connectors' own code and the network. In production it is the JDK {@link HttpClient} (and, for
 * JWK Sets, Nimbus's retriever, which Nimbus caches and refetches on an unknown {@code kid}); for
 * {@code signet replay} it answers each call from a recorded exchange instead (package
 * {@code dev.signet.replay}), so the connectors' callback code runs unchanged and offline.
 *
 * <p>{@code what} is the call's name as the connector gives it ({@code discovery}, {@code jwks},
 * {@code token endpoint}, {@code user profile (/user)}…): the same name the corpus records with
 * each answer.
 */
public interface UpstreamTransport {

    /** An HTTP answer: its status and body text. */
    record Reply(int status, String body) {}

    /** Sends {@code request}; an {@link IOException} (or {@link java.net.http.HttpTimeoutException}) when there was no answer. */
    Reply send(String connection, String what, HttpRequest request) throws IOException, InterruptedException;

    /** How the JWK Set of {@code connection} is fetched (each attempt waits at most {@code timeout}). */
    ResourceRetriever jwks(String connection, Duration timeout);

    /** The network, through {@code client}. */
    static UpstreamTransport network(HttpClient client) {
        return new UpstreamTransport() {
            @Override
            public Reply send(String connection, String what, HttpRequest request) throws IOException, InterruptedException {
                HttpResponse<String> res = client.send(request, HttpResponse.BodyHandlers.ofString());
                return new Reply(res.statusCode(), res.body());
            }

            @Override
            public ResourceRetriever jwks(String connection, Duration timeout) {
                int ms = (int) timeout.toMillis();
                return new DefaultResourceRetriever(ms, ms, UpstreamJwks.MAX_SIZE);
            }
        };
    }
}
