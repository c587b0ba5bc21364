package dev.signet.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Failure containment (DESIGN.md "Failure policy"), one record per top-level section, each read by
 * its own {@code read} from that section's node:
 *
 * <pre>
 * sessions:                  # {@link Sessions}
 *   outage_cache_ttl: 60s
 * events:                    # {@link Events}
 *   relay: {poll: 1s, backoff: 2s, max_backoff: 10m, max_attempts: 10, lease: 60s}
 *   webhooks:
 *     - {id: crm, url: https://crm.example.com/signet, secret: ${CRM_WEBHOOK_SECRET}, timeout: 5s}
 * hooks:                     # a list of {@link HookSettings}
 *   - {id: policy, url: https://policy.example.com/signin, timeout: 1s, on_failure: deny}
 * </pre>
 */
public record ContainmentSettings(Sessions sessions, Events events, List<HookSettings> hooks) {

    public ContainmentSettings {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(events, "events");
        hooks = List.copyOf(hooks);
    }

    public static ContainmentSettings defaults() {
        return new ContainmentSettings(Sessions.defaults(), Events.defaults(), List.of());
    }

    /**
     * {@code sessions:}. {@code outageCacheTtl}: how long a session this node validated keeps working
     * while the store does not answer.
     */
    public record Sessions(Duration outageCacheTtl) {
        public static Sessions defaults() {
            return new Sessions(Duration.ofSeconds(60));
        }

        static Sessions read(ConfigNode n) {
            n.allowOnly(Set.of("outage_cache_ttl"));
            return new Sessions(n.duration("outage_cache_ttl", defaults().outageCacheTtl()));
        }
    }

    /** {@code events:}: the outbox relay and its webhook sinks. */
    public record Events(RelaySettings relay, List<WebhookSettings> webhooks) {
        public Events {
            Objects.requireNonNull(relay, "relay");
            webhooks = List.copyOf(webhooks);
        }

        public static Events defaults() {
            return new Events(RelaySettings.defaults(), List.of());
        }

        static Events read(ConfigNode events) {
            events.allowOnly(Set.of("relay", "webhooks"));
            RelaySettings relay = RelaySettings.read(events.child("relay"));
            List<WebhookSettings> webhooks = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (ConfigNode w : events.list("webhooks")) {
                WebhookSettings webhook = WebhookSettings.read(w);
                if (!ids.add(webhook.id())) {
                    w.problem("id", "duplicates webhook id '" + webhook.id() + "'");
                }
                if (webhook.timeout().compareTo(relay.lease().dividedBy(2)) > 0) {
                    w.problem("timeout", "must be at most half of events.relay.lease (" + relay.lease().toMillis() + " ms), got "
                            + webhook.timeout().toMillis() + " ms: a delivery still running when its lease runs out is claimed"
                            + " and sent again by another relay (raise the lease or shorten the timeout)");
                }
                webhooks.add(webhook);
            }
            return new Events(relay, webhooks);
        }
    }

    /**
     * {@code events.relay}: how the outbox relay polls and retries. A delivery attempt that fails
     * is retried after {@code backoff × 2^(attempt-1)} (capped at {@code maxBackoff}); after
     * {@code maxAttempts} the delivery is dead-lettered (redeliver with {@code signet events redeliver}).
     */
    public record RelaySettings(Duration poll, Duration backoff, Duration maxBackoff, int maxAttempts, Duration lease) {

        /**
         * The shortest lease: a relay holds its claims while a batch is delivered, so the lease must
         * outlast the slowest sink's attempt: its timeout (webhooks: at most half the lease; the
         * back-channel logout sink: 5 s) plus the 5 s HTTP connect timeout, with room to record the outcome.
         */
        static final Duration MIN_LEASE = Duration.ofSeconds(15);

        public static RelaySettings defaults() {
            return new RelaySettings(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMinutes(10), 10, Duration.ofSeconds(60));
        }

        static RelaySettings read(ConfigNode n) {
            n.allowOnly(Set.of("poll", "backoff", "max_backoff", "max_attempts", "lease"));
            RelaySettings d = defaults();
            Duration lease = n.duration("lease", d.lease());
            if (lease.compareTo(MIN_LEASE) < 0) {
                n.problem("lease", "must be at least " + MIN_LEASE.toSeconds() + "s, got " + lease.toMillis()
                        + " ms: it must outlast the slowest sink's attempt (timeout + connect), or another relay delivers it again");
                lease = d.lease();
            }
            return new RelaySettings(n.duration("poll", d.poll()), n.duration("backoff", d.backoff()),
                    n.duration("max_backoff", d.maxBackoff()), n.integer("max_attempts", d.maxAttempts(), 1, 100), lease);
        }
    }

    /** {@code events.webhooks[]}: a signed webhook sink (HMAC-SHA256 with {@code secret}). */
    public record WebhookSettings(String id, URI url, Secret secret, Duration timeout) {
        static WebhookSettings read(ConfigNode w) {
            w.allowOnly(Set.of("id", "url", "secret", "timeout"));
            String id = w.string("id");
            URI url = w.uri("url");
            Optional<Secret> secret = w.optSecret("secret");
            if (secret.isEmpty() && !w.has("secret")) {
                w.problem("secret", "is required: receivers verify the HMAC-SHA256 signature with it");
            }
            secret.filter(s -> s.value().length() < 16).ifPresent(s -> w.problem("secret", "must be at least 16 characters"));
            return new WebhookSettings(id, url, secret.orElse(new Secret("")), w.duration("timeout", Duration.ofSeconds(5)));
        }
    }

    /** {@code hooks[]}: a synchronous policy hook. {@code onFailure} has no default on purpose. */
    public record HookSettings(String id, URI url, Duration timeout, OnFailure onFailure) {

        /** The {@code hooks:} list; ids must be unique. */
        static List<HookSettings> readAll(List<ConfigNode> nodes) {
            List<HookSettings> hooks = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (ConfigNode h : nodes) {
                HookSettings hook = read(h);
                if (!ids.add(hook.id())) {
                    h.problem("id", "duplicates hook id '" + hook.id() + "'");
                }
                hooks.add(hook);
            }
            return hooks;
        }

        static HookSettings read(ConfigNode h) {
            h.allowOnly(Set.of("id", "url", "timeout", "on_failure"));
            String id = h.string("id");
            URI url = h.uri("url");
            Duration timeout = h.duration("timeout", Duration.ofSeconds(1));
            OnFailure onFailure = OnFailure.DENY;
            Optional<String> policy = h.optString("on_failure");
            if (policy.isEmpty()) {
                h.problem("on_failure", "is required (allow | deny): what happens to a sign-in when the hook is slow or fails"
                        + " must be stated, there is no default");
            } else if (policy.get().equals("allow") || policy.get().equals("deny")) {
                onFailure = policy.get().equals("allow") ? OnFailure.ALLOW : OnFailure.DENY;
            } else {
                h.problem("on_failure", "must be allow or deny, got '" + policy.get() + "'");
            }
            return new HookSettings(id, url, timeout, onFailure);
        }
    }

    public enum OnFailure { ALLOW, DENY }
}
