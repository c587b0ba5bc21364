package dev.signet.config;

import dev.signet.config.ContainmentSettings.HookSettings;
import dev.signet.config.ContainmentSettings.OnFailure;
import dev.signet.config.ContainmentSettings.RelaySettings;
import dev.signet.config.ContainmentSettings.WebhookSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the top-level {@code sessions}, {@code events} and {@code hooks} sections. Kept out of
 * {@link ConfigLoader} so the failure-containment settings evolve in one file.
 *
 * <pre>
 * sessions:
 *   outage_cache_ttl: 60s
 * events:
 *   relay: {poll: 1s, backoff: 2s, max_backoff: 10m, max_attempts: 10, lease: 60s}
 *   webhooks:
 *     - {id: crm, url: https://crm.example.com/signet, secret: ${CRM_WEBHOOK_SECRET}, timeout: 5s}
 * hooks:
 *   - {id: policy, url: https://policy.example.com/signin, timeout: 1s, on_failure: deny}
 * </pre>
 */
final class ContainmentConfig {

    static final Set<String> SECTIONS = Set.of("sessions", "events", "hooks");

    private ContainmentConfig() {}

    static ContainmentSettings parse(ConfigNode top) {
        ConfigNode sessions = top.child("sessions");
        sessions.allowOnly(Set.of("outage_cache_ttl"));
        Duration ttl = sessions.duration("outage_cache_ttl", ContainmentSettings.defaults().outageCacheTtl());

        ConfigNode events = top.child("events");
        events.allowOnly(Set.of("relay", "webhooks"));
        RelaySettings relay = relay(events.child("relay"));
        List<WebhookSettings> webhooks = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (ConfigNode w : events.list("webhooks")) {
            w.allowOnly(Set.of("id", "url", "secret", "timeout"));
            String id = w.string("id");
            if (!ids.add(id)) {
                w.problem("id", "duplicates webhook id '" + id + "'");
            }
            URI url = w.uri("url");
            Optional<Secret> secret = w.optSecret("secret");
            if (secret.isEmpty() && !w.has("secret")) {
                w.problem("secret", "is required: receivers verify the HMAC-SHA256 signature with it");
            }
            secret.filter(s -> s.value().length() < 16).ifPresent(s -> w.problem("secret", "must be at least 16 characters"));
            webhooks.add(new WebhookSettings(id, url, secret.orElse(new Secret("")), w.duration("timeout", Duration.ofSeconds(5))));
        }

        List<HookSettings> hooks = new ArrayList<>();
        Set<String> hookIds = new HashSet<>();
        for (ConfigNode h : top.list("hooks")) {
            h.allowOnly(Set.of("id", "url", "timeout", "on_failure"));
            String id = h.string("id");
            if (!hookIds.add(id)) {
                h.problem("id", "duplicates hook id '" + id + "'");
            }
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
            hooks.add(new HookSettings(id, url, timeout, onFailure));
        }
        return new ContainmentSettings(ttl, relay, webhooks, hooks);
    }

    private static RelaySettings relay(ConfigNode n) {
        n.allowOnly(Set.of("poll", "backoff", "max_backoff", "max_attempts", "lease"));
        RelaySettings d = RelaySettings.defaults();
        return new RelaySettings(n.duration("poll", d.poll()), n.duration("backoff", d.backoff()),
                n.duration("max_backoff", d.maxBackoff()), n.integer("max_attempts", d.maxAttempts(), 1, 100), n.duration("lease", d.lease()));
    }
}
