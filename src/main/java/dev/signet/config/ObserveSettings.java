package dev.signet.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The observability sections of the configuration (issue 7): one record per top-level section,
 * each read by its own {@code read} from that section's node:
 *
 * <pre>
 * management:                # the separate listener for /metrics, /health/*, /probes
 *   enabled: true            # default true
 *   host: 127.0.0.1          # default 127.0.0.1
 *   port: 9464               # default 9464; 0 = any free port
 *   hosts: [metrics.internal] # further Host names it answers to, besides its own (see ManagementHttp)
 * logging:
 *   format: json             # json (default) | text; SIGNET_LOG_FORMAT wins when set
 *   access_log: false        # one redacted line per request
 * tracing:
 *   otlp_endpoint: http://collector:4318/v1/traces   # absent = spans are not exported
 *   service_name: signet
 * probes:
 *   enabled: true            # default true
 *   interval: 30s
 *   timeout: 10s             # per probe run
 *   alert_webhook: https://alerts.example.com/signet # optional; one signed POST per state change
 *   alert_secret: ${PROBE_ALERT_SECRET}               # HMAC-SHA256 key, required with alert_webhook
 *   client_secret: ${PROBE_CLIENT_SECRET}             # the built-in probe client's secret (several nodes: set it)
 * </pre>
 */
public record ObserveSettings(Management management, Logging logging, Tracing tracing, Probes probes) {

    public static final int DEFAULT_MANAGEMENT_PORT = 9464;

    /** {@code hosts}: extra names (or IP literals) the listener answers to, lower case, besides its own. */
    public record Management(boolean enabled, String host, int port, List<String> hosts) {
        public Management {
            hosts = List.copyOf(hosts);
        }

        static Management read(ConfigNode m) {
            m.allowOnly(Set.of("enabled", "host", "port", "hosts"));
            List<String> hosts = m.strings("hosts").stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList();
            for (int i = 0; i < hosts.size(); i++) {
                if (!hosts.get(i).matches("[a-z0-9.-]{1,253}|\\[[0-9a-f:.]+\\]")) {
                    m.problem("hosts[" + i + "]", "must be a host name or IP literal (IPv6 in brackets), without port or scheme");
                }
            }
            return new Management(m.bool("enabled", true), m.optString("host").orElse("127.0.0.1"),
                    m.integer("port", DEFAULT_MANAGEMENT_PORT, 0, 65535), hosts);
        }
    }

    public record Logging(Optional<String> format, boolean accessLog) {
        static Logging read(ConfigNode l) {
            l.allowOnly(Set.of("format", "access_log"));
            Optional<String> format = l.optString("format");
            format.filter(f -> !f.equals("json") && !f.equals("text")).ifPresent(f -> l.problem("format", "must be json or text"));
            return new Logging(format, l.bool("access_log", false));
        }
    }

    public record Tracing(Optional<URI> otlpEndpoint, String serviceName) {
        static Tracing read(ConfigNode t) {
            t.allowOnly(Set.of("otlp_endpoint", "service_name"));
            return new Tracing(t.optUri("otlp_endpoint"), t.optString("service_name").orElse("signet"));
        }
    }

    public record Probes(boolean enabled, Duration interval, Duration timeout, Optional<URI> alertWebhook, Optional<Secret> alertSecret,
            Optional<Secret> clientSecret) {
        static Probes read(ConfigNode p) {
            p.allowOnly(Set.of("enabled", "interval", "timeout", "alert_webhook", "alert_secret", "client_secret"));
            Duration interval = p.duration("interval", Duration.ofSeconds(30));
            if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
                p.problem("interval", "must be at least 1s");
            }
            Optional<URI> webhook = p.optUri("alert_webhook");
            Optional<Secret> secret = p.optSecret("alert_secret");
            if (webhook.isPresent() && secret.map(s -> s.value().length() < 16).orElse(true)) {
                p.problem("alert_secret", "is required with alert_webhook, at least 16 characters (the HMAC-SHA256 key)");
            }
            Optional<Secret> clientSecret = p.optSecret("client_secret");
            clientSecret.filter(s -> s.value().length() < 16).ifPresent(s -> p.problem("client_secret", "must be at least 16 characters"));
            return new Probes(p.bool("enabled", true), interval, p.duration("timeout", Duration.ofSeconds(10)), webhook, secret,
                    clientSecret);
        }
    }

    /** Everything off or default: no management listener, JSON logs, no export, probes every 30 s. */
    public static ObserveSettings defaults() {
        return new ObserveSettings(new Management(true, "127.0.0.1", DEFAULT_MANAGEMENT_PORT, List.of()), new Logging(Optional.empty(), false),
                new Tracing(Optional.empty(), "signet"), new Probes(true, Duration.ofSeconds(30), Duration.ofSeconds(10),
                        Optional.empty(), Optional.empty(), Optional.empty()));
    }
}
