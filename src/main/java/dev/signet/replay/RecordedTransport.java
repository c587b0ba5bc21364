package dev.signet.replay;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import dev.signet.connector.UpstreamTransport;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The replay's {@link UpstreamTransport}: each call of the connector is answered from one recorded
 * exchange instead of the network, matched by the call's name ({@code discovery}, {@code jwks},
 * {@code token endpoint}, {@code user profile (/user)}…), never by URL, so a configuration whose
 * endpoint URLs changed still replays. Answers of one name are given in the recorded order (a
 * retried call gets the recorded retry's answer); once they are used up the last one repeats. A
 * call with no recorded answer at all is a gap: the new code asks the upstream something it was
 * never asked (a GitHub organisation check newly configured), so the exchange cannot be replayed.
 */
final class RecordedTransport implements UpstreamTransport {

    /** One recorded answer: {@code status} 0 means there was none (a timeout or an I/O error); {@code body} null: not JSON. */
    record Answer(int status, @Nullable String body) {}

    private final @Nullable String discovery;
    private final @Nullable String jwks;
    private final Map<String, Deque<Answer>> answers = new HashMap<>();
    private final Map<String, Answer> last = new HashMap<>();
    private final List<String> gaps = new ArrayList<>();

    RecordedTransport(@Nullable String discovery, @Nullable String jwks, List<Map.Entry<String, Answer>> recorded) {
        this.discovery = discovery;
        this.jwks = jwks;
        recorded.forEach(e -> answers.computeIfAbsent(e.getKey(), k -> new ArrayDeque<>()).add(e.getValue()));
    }

    /** A call no recorded answer serves; unchecked, so it is neither retried nor counted by the circuit breaker. */
    static final class Gap extends RuntimeException {
        Gap(String what) {
            super("no recorded answer for the " + what, null, false, false);
        }
    }

    /** The calls the connector made that no recorded answer could serve. */
    List<String> gaps() {
        return List.copyOf(gaps);
    }

    @Override
    public Reply send(String connection, String what, HttpRequest request) throws IOException {
        Answer a;
        if (what.equals("discovery")) {
            a = discovery == null ? null : new Answer(200, discovery);
        } else {
            Deque<Answer> q = answers.get(what);
            a = q == null || q.isEmpty() ? last.get(what) : q.poll();
        }
        if (a == null) {
            gaps.add(what);
            throw new Gap(what);
        }
        last.put(what, a);
        if (a.status() == 0) {
            throw new HttpTimeoutException("replay: the recorded " + what + " did not answer");
        }
        return new Reply(a.status(), a.body() == null ? "<recorded answer was not JSON>" : a.body());
    }

    @Override
    public ResourceRetriever jwks(String connection, Duration timeout) {
        return url -> {
            if (jwks == null) {
                gaps.add("jwks");
                throw new Gap("jwks");
            }
            return new Resource(jwks, "application/json");
        };
    }
}
