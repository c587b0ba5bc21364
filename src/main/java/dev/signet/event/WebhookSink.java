package dev.signet.event;

import dev.signet.config.ContainmentSettings.WebhookSettings;
import dev.signet.store.StoredEvent;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs each event as JSON, signed ({@link WebhookSignature}) and carrying {@code Signet-Event-Id}
 * for dedupe. Any 2xx is success; anything else (or no answer within the timeout) is retried.
 */
public final class WebhookSink implements Sink {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebhookSettings settings;
    private final HttpClient client;
    private final Clock clock;

    public WebhookSink(WebhookSettings settings, HttpClient client, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public String id() {
        return "webhook:" + settings.id();
    }

    @Override
    public void deliver(StoredEvent e) throws IOException, InterruptedException {
        String body = body(e);
        HttpRequest req = HttpRequest.newBuilder(settings.url())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header(WebhookSignature.EVENT_ID_HEADER, e.id())
                .header(WebhookSignature.HEADER, WebhookSignature.header(settings.secret().value(), clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<Void> res = client.send(req, HttpResponse.BodyHandlers.discarding());
        if (res.statusCode() / 100 != 2) {
            throw new IOException("webhook answered HTTP " + res.statusCode());
        }
    }

    static String body(StoredEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("type", e.type());
        m.put("occurred_at", e.occurredAt().toString());
        m.put("tenant", e.tenant());
        e.userId().ifPresent(u -> m.put("user_id", u));
        e.connection().ifPresent(c -> m.put("connection", c));
        m.put("data", JSON.readTree(e.data()));
        return JSON.writeValueAsString(m);
    }
}
