package dev.signet.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code rate_limits} section (README "Rate limits"). Every limit is per node.
 *
 * <pre>
 * rate_limits:
 *   enabled: true              # false: no limit and no back-off at all (benchmarks, some tests)
 *   per_address:               # per source address (IPv6: per /64); N/period = a burst of N, refilled at N per period
 *     token: 1200/1m
 *     authorize: 600/1m
 *     pages: 1200/1m           # the sign-in page, /signin, /signin/{connection}, /authorize/resume
 *     dev_form: 600/1m         # the dev connection's form
 *     callback: 600/1m         # /callback/{connection}, /demo/callback
 *     device: 20/1m            # user codes typed on /device (RFC 8628 §5.1: guessing)
 *   per_client:                # requests naming one configured client id, from every address together
 *     token: 30000/1m
 *     authorize: 12000/1m
 *   client_auth_failures:      # failed client authentication at /token (RFC 6749 §2.3.1)
 *     max: 20                  # failures per client id and address within window, then back-off
 *     window: 5m
 *     backoff: 1s              # first back-off; doubles with every further failure
 *     max_backoff: 60s
 *     client_max: 200          # failures per client id from all addresses within window, then every
 *                              # address that failed for it backs off after one failure
 *   max_keys: auto             # entries per kind (buckets, failure counts); the least used are forgotten first;
 *                              # auto: a tenth of the heap's worth, at most 50000 (app.MemoryBudget)
 * </pre>
 *
 * Any limit may be {@code off}.
 */
public record RateLimitSettings(boolean enabled, Map<String, Rate> perAddress, Map<String, Rate> perClient, AuthFailures authFailures,
        int maxKeys) {

    /** Endpoint groups limited per source address. */
    public static final List<String> ADDRESS_ENDPOINTS = List.of("token", "authorize", "pages", "dev_form", "callback", "device");
    /** Endpoint groups limited per client id (the others name no client). */
    public static final List<String> CLIENT_ENDPOINTS = List.of("token", "authorize");

    /** {@code requests} per {@code per}, refilled continuously; a burst of {@code requests} is allowed. */
    public record Rate(long requests, Duration per) {
        @Override
        public String toString() {
            return requests + "/" + per;
        }
    }

    public record AuthFailures(int max, Duration window, Duration backoff, Duration maxBackoff, int clientMax) {}

    public RateLimitSettings {
        perAddress = Map.copyOf(perAddress);
        perClient = Map.copyOf(perClient);
    }

    /** These settings with {@code max_keys} resolved (app.MemoryBudget). */
    public RateLimitSettings withMaxKeys(int keys) {
        return new RateLimitSettings(enabled, perAddress, perClient, authFailures, keys);
    }

    private static final Map<String, Rate> ADDRESS_DEFAULTS = Map.of(
            "token", new Rate(1200, Duration.ofMinutes(1)),
            "authorize", new Rate(600, Duration.ofMinutes(1)),
            "pages", new Rate(1200, Duration.ofMinutes(1)),
            "dev_form", new Rate(600, Duration.ofMinutes(1)),
            "callback", new Rate(600, Duration.ofMinutes(1)),
            // RFC 8628 §5.1: user codes typed on /device; 20 a minute per address makes guessing
            // one of 20^8 codes hopeless while a person mistyping a few times never notices
            "device", new Rate(20, Duration.ofMinutes(1)));
    private static final Map<String, Rate> CLIENT_DEFAULTS = Map.of(
            "token", new Rate(30000, Duration.ofMinutes(1)),
            "authorize", new Rate(12000, Duration.ofMinutes(1)));
    private static final AuthFailures FAILURE_DEFAULTS =
            new AuthFailures(20, Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(60), 200);
    static final Duration LONGEST_BACKOFF = Duration.ofMinutes(15);
    /**
     * The most keys per kind when not configured. About 500 bytes an entry (measured: a Bucket4j bucket or a failure
     * count, its key and cache node): ~55 MB at most, so fewer on a small heap (app.MemoryBudget).
     */
    public static final int DEFAULT_MAX_KEYS = 50_000;
    /** {@code max_keys} when not configured (or {@code auto}): sized from the heap at start (app.MemoryBudget). */
    public static final int AUTO_MAX_KEYS = 0;

    public static RateLimitSettings defaults() {
        return new RateLimitSettings(true, ADDRESS_DEFAULTS, CLIENT_DEFAULTS, FAILURE_DEFAULTS, DEFAULT_MAX_KEYS);
    }

    /** The {@code rate_limits:} section. */
    static RateLimitSettings read(ConfigNode n) {
        n.allowOnly(Set.of("enabled", "per_address", "per_client", "client_auth_failures", "max_keys"));
        boolean enabled = n.bool("enabled", true);
        Map<String, Rate> perAddress = rates(n.child("per_address"), ADDRESS_ENDPOINTS, ADDRESS_DEFAULTS);
        Map<String, Rate> perClient = rates(n.child("per_client"), CLIENT_ENDPOINTS, CLIENT_DEFAULTS);
        ConfigNode f = n.child("client_auth_failures");
        f.allowOnly(Set.of("max", "window", "backoff", "max_backoff", "client_max"));
        AuthFailures d = FAILURE_DEFAULTS;
        int max = f.integer("max", d.max(), 1, 1_000_000);
        Duration backoff = f.duration("backoff", d.backoff());
        Duration maxBackoff = f.duration("max_backoff", d.maxBackoff());
        if (maxBackoff.compareTo(LONGEST_BACKOFF) > 0) {
            f.problem("max_backoff", "must be at most 15m: a longer back-off locks the real client out for as long (README \"Rate limits\")");
            maxBackoff = d.maxBackoff();
        }
        if (backoff.compareTo(maxBackoff) > 0) {
            f.problem("backoff", "must not be longer than max_backoff (" + maxBackoff + ")");
        }
        int clientMax = f.integer("client_max", Math.max(d.clientMax(), max), 1, 10_000_000);
        if (clientMax < max) {
            f.problem("client_max", "must be at least max (" + max + "): it counts the failures of every address together");
        }
        AuthFailures failures = new AuthFailures(max, f.duration("window", d.window()), backoff, maxBackoff, clientMax);
        int maxKeys = ServerSettings.isAuto(n, "max_keys") ? AUTO_MAX_KEYS : n.integer("max_keys", AUTO_MAX_KEYS, 1_000, 10_000_000);
        return new RateLimitSettings(enabled, perAddress, perClient, failures, maxKeys);
    }

    /** One {@code N/period} (or {@code off}) per endpoint group; an absent key keeps its default. */
    private static Map<String, Rate> rates(ConfigNode n, List<String> endpoints, Map<String, Rate> defaults) {
        n.allowOnly(Set.copyOf(endpoints));
        Map<String, Rate> out = new LinkedHashMap<>();
        for (String e : endpoints) {
            Optional<String> raw = n.optString(e);
            if (raw.isEmpty()) {
                out.put(e, defaults.get(e));
            } else if (!raw.get().trim().equals("off")) {
                rate(raw.get()).ifPresentOrElse(r -> out.put(e, r), () -> {
                    n.problem(e, "must be N/period like 600/1m or 20/1s (N from 1 to 1000000000), or off; got '" + raw.get() + "'");
                    out.put(e, defaults.get(e));
                });
            }
        }
        return out;
    }

    static Optional<Rate> rate(String s) {
        int slash = s.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Optional<Duration> per = ConfigNode.parseDuration(s.substring(slash + 1));
        if (n < 1 || n > 1_000_000_000L || per.isEmpty() || per.get().isNegative() || per.get().isZero()) {
            return Optional.empty();
        }
        return Optional.of(new Rate(n, per.get()));
    }
}
