package dev.signet.harness;

import com.sun.net.httpserver.HttpServer;
import dev.signet.event.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A webhook receiver (JDK HttpServer) that verifies Signet's signature and dedupes by
 * {@code Signet-Event-Id}, as a real receiver should. It can be switched to answer 500 or to hang.
 */
public final class WebhookReceiver implements AutoCloseable {

    public enum Mode { OK, FAIL, HANG }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpServer server;
    private final String secret;
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
    private final AtomicReference<CountDownLatch> release = new AtomicReference<>(new CountDownLatch(0));
    /** Accepted events by id (deduped), and how many times each id was accepted. */
    public final Map<String, JsonNode> events = new ConcurrentHashMap<>();
    public final Map<String, AtomicInteger> acceptedTimes = new ConcurrentHashMap<>();
    public final AtomicInteger attempts = new AtomicInteger();
    public final List<String> badSignatures = new CopyOnWriteArrayList<>();

    public WebhookReceiver(String secret) {
        this.secret = secret;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", x -> {
            attempts.incrementAndGet();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Mode m = mode.get();
            if (m == Mode.HANG) {
                try {
                    release.get().await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (m != Mode.OK) {
                x.sendResponseHeaders(500, -1);
                x.close();
                return;
            }
            String id = x.getRequestHeaders().getFirst(WebhookSignature.EVENT_ID_HEADER);
            String sig = x.getRequestHeaders().getFirst(WebhookSignature.HEADER);
            if (id == null || sig == null || !WebhookSignature.verify(secret, sig, body)) {
                badSignatures.add(String.valueOf(id));
                x.sendResponseHeaders(400, -1);
                x.close();
                return;
            }
            events.putIfAbsent(id, JSON.readTree(body));
            acceptedTimes.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            x.sendResponseHeaders(204, -1);
            x.close();
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    public void set(Mode m) {
        if (m == Mode.HANG) {
            release.set(new CountDownLatch(1));
        } else {
            release.get().countDown();
        }
        mode.set(m);
    }

    /** Accepted events of {@code type} whose user_id is {@code userId}. */
    public long count(String type, String userId) {
        return events.values().stream().filter(e -> e.path("type").asString().equals(type)
                && e.path("user_id").asString().equals(userId)).count();
    }

    @Override
    public void close() {
        release.get().countDown();
        server.stop(0);
    }
}
