package dev.signet.probe;

import static net.logstash.logback.argument.StructuredArguments.kv;

import dev.signet.config.ObserveSettings;
import dev.signet.event.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * One signed webhook POST per change of a target's state ({@code probe.failed} when it starts
 * failing, {@code probe.recovered} when it passes again), never one per run. Signed like the outbox
 * webhooks ({@code Signet-Signature}, HMAC-SHA256 over timestamp and body). Sent off the probe's
 * thread; a failed delivery is logged, not retried (the next change of state alerts again, and the
 * metric and log line never depend on it).
 */
public final class ProbeAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeAlerts.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Optional<URI> webhook;
    private final String secret;
    private final HttpClient client;
    private final Clock clock;

    public ProbeAlerts(ObserveSettings.Probes settings, HttpClient client, Clock clock) {
        this.webhook = settings.alertWebhook();
        this.secret = settings.alertSecret().map(s -> s.value()).orElse("");
        this.client = client;
        this.clock = clock;
    }

    void stateChanged(ProbeResult now, @Nullable ProbeResult before) {
        if (webhook.isEmpty()) {
            return;
        }
        ProbeTarget t = now.target();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", now.ok() ? "probe.recovered" : "probe.failed");
        body.put("tenant", t.tenant());
        body.put("domain", t.domain());
        body.put("connection", t.connection());
        body.put("ok", now.ok());
        body.put("step", now.step());
        body.put("reason", now.reason());
        body.put("detail", now.detail());
        body.put("previous", ProbeRunner.state(before));
        body.put("at", now.at().toString());
        String json = JSON.writeValueAsString(body);
        HttpRequest req = HttpRequest.newBuilder(webhook.get()).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret, clock.instant().getEpochSecond(), json))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        client.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            if (e != null || r.statusCode() / 100 != 2) {
                LOG.warn("probe alert not delivered", kv("connection", t.connection()), kv("domain", t.domain()),
                        kv("detail", e != null ? e.getClass().getSimpleName() : "HTTP " + r.statusCode()));
            }
        });
    }
}
