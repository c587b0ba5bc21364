package dev.signet.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Failure containment (DESIGN.md "Failure policy"): the session outage cache, the outbox relay and
 * its sinks, and the synchronous sign-in hooks. Parsed by {@link ContainmentConfig}.
 *
 * @param outageCacheTtl {@code sessions.outage_cache_ttl}: how long a session this node validated
 *     keeps working while the store does not answer
 */
public record ContainmentSettings(Duration outageCacheTtl, RelaySettings relay, List<WebhookSettings> webhooks,
        List<HookSettings> hooks) {

    public ContainmentSettings {
        Objects.requireNonNull(outageCacheTtl, "outageCacheTtl");
        Objects.requireNonNull(relay, "relay");
        webhooks = List.copyOf(webhooks);
        hooks = List.copyOf(hooks);
    }

    public static ContainmentSettings defaults() {
        return new ContainmentSettings(Duration.ofSeconds(60), RelaySettings.defaults(), List.of(), List.of());
    }

    /**
     * {@code events.relay}: how the outbox relay polls and retries. A delivery attempt that fails
     * is retried after {@code backoff × 2^(attempt-1)} (capped at {@code maxBackoff}); after
     * {@code maxAttempts} the delivery is dead-lettered (redeliver with {@code signet events redeliver}).
     */
    public record RelaySettings(Duration poll, Duration backoff, Duration maxBackoff, int maxAttempts, Duration lease) {
        public static RelaySettings defaults() {
            return new RelaySettings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(10), 10, Duration.ofSeconds(60));
        }
    }

    /** {@code events.webhooks[]}: a signed webhook sink (HMAC-SHA256 with {@code secret}). */
    public record WebhookSettings(String id, URI url, Secret secret, Duration timeout) {}

    /** {@code hooks[]}: a synchronous policy hook. {@code onFailure} has no default on purpose. */
    public record HookSettings(String id, URI url, Duration timeout, OnFailure onFailure) {}

    public enum OnFailure { ALLOW, DENY }
}
