package dev.signet.ratelimit;

import static net.logstash.logback.argument.StructuredArguments.kv;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.signet.RateLimitedException;
import dev.signet.config.RateLimitSettings;
import dev.signet.config.RateLimitSettings.AuthFailures;
import dev.signet.config.RateLimitSettings.Rate;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rate-limit policy (README "Rate limits"). Three kinds of state, each in its own bounded
 * Caffeine cache whose entries expire once they would be back at their initial state anyway:
 * <ul>
 *   <li>request buckets, per endpoint group × source address (IPv6 per /64: one host holds a whole
 *       /64) and per endpoint group × client id;
 *   <li>failed client authentications per client id × address: {@code max} failures per window,
 *       then a back-off of 1 s, 2 s, 4 s … up to {@code max_backoff}; a success resets it;
 *   <li>failed client authentications per client id from all addresses: beyond {@code client_max}
 *       per window the client id is "under attack" for a back-off (growing like the other, renewed
 *       by every further failure), and during it every address with a failure for it within the
 *       window is refused. Addresses without one (the real client, elsewhere) keep being served: a
 *       distributed guesser gets one guess per new address, the real client is not locked out.
 * </ul>
 * Client keys are {@code tenant + " " + client id}, for configured clients only (the caller checks),
 * so attacker-chosen ids create no client state.
 */
public final class RateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
    static final String PER_ADDRESS = "per_address";
    static final String PER_CLIENT = "per_client";
    static final String BACKOFF = "client_auth_backoff";

    private final boolean enabled;
    private final Map<String, Rate> perAddress;
    private final Map<String, Rate> perClient;
    private final AuthFailures failures;
    private final ClockTime time;
    private final Cache<String, Bucket> buckets;
    private final Cache<String, Failures> pairs;
    private final Cache<String, Failures> clients;

    public RateLimits(RateLimitSettings settings, Clock clock) {
        if (settings.maxKeys() == RateLimitSettings.AUTO_MAX_KEYS) {
            throw new IllegalArgumentException("max_keys must be resolved for the heap first (app.MemoryBudget)");
        }
        this.enabled = settings.enabled();
        this.perAddress = settings.perAddress();
        this.perClient = settings.perClient();
        this.failures = settings.authFailures();
        this.time = new ClockTime(clock);
        Duration longest = Stream.concat(perAddress.values().stream(), perClient.values().stream())
                .map(Rate::per).max(Duration::compareTo).orElse(Duration.ofMinutes(1));
        Duration failureMemory = failures.window().compareTo(failures.maxBackoff()) > 0 ? failures.window() : failures.maxBackoff();
        this.buckets = cache(settings.maxKeys(), longest);
        this.pairs = cache(settings.maxKeys(), failureMemory);
        this.clients = cache(Math.max(1_000, settings.maxKeys() / 10), failureMemory);
    }

    private <V> Cache<String, V> cache(int size, Duration idle) {
        return Caffeine.newBuilder().maximumSize(size).expireAfterAccess(idle).ticker(time).build();
    }

    /** Counts a request of {@code endpoint} from {@code address}; refuses beyond its per-address limit. */
    public void admitAddress(String endpoint, String address) {
        take(PER_ADDRESS, endpoint, perAddress.get(endpoint), "a " + endpoint + " " + addressKey(address));
    }

    /** Counts a request of {@code endpoint} naming {@code client} (tenant, space, configured client id). */
    public void admitClient(String endpoint, String client) {
        take(PER_CLIENT, endpoint, perClient.get(endpoint), "c " + endpoint + " " + client);
    }

    private void take(String limit, String endpoint, Rate rate, String key) {
        if (!enabled || rate == null) {
            return;
        }
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate.requests()).refillGreedy(rate.requests(), rate.per()).build())
                .withCustomTimePrecision(time).build());
        ConsumptionProbe p = bucket.tryConsumeAndReturnRemaining(1);
        if (!p.isConsumed()) {
            throw new RateLimitedException(endpoint, limit, seconds(p.getNanosToWaitForRefill()),
                    limit + " limit " + rate + " of " + endpoint + " reached");
        }
    }

    /** Before a client's credentials are checked at /token: refuses while that client is backed off for this address. */
    public void admitClientAuth(String client, String address) {
        if (!enabled) {
            return;
        }
        long now = time.currentTimeNanos();
        Failures pair = pairs.getIfPresent(client + " " + addressKey(address));
        long wait = pair == null ? 0 : pair.remaining(now);
        if (wait == 0 && pair != null && pair.recent()) {
            Failures all = clients.getIfPresent(client);
            wait = all == null ? 0 : all.remaining(now);
        }
        if (wait > 0) {
            throw new RateLimitedException("token", BACKOFF, seconds(wait), "client authentication backed off after repeated failures");
        }
    }

    /** A failed client authentication at /token (RFC 6749 §2.3.1). */
    public void clientAuthFailed(String client, String address) {
        if (!enabled) {
            return;
        }
        long now = time.currentTimeNanos();
        String where = addressKey(address);
        Duration wide = clients.get(client, k -> failures(failures.clientMax())).failed(now);
        Duration d = pairs.get(client + " " + where, k -> failures(failures.max())).failed(now);
        if (!wide.isZero()) {
            LOG.warn("client authentication failing from many addresses; every address with a recent failure is refused",
                    kv("client", client), kv("backoff_seconds", wide.toSeconds()));
        }
        if (!d.isZero()) {
            LOG.warn("client authentication backed off", kv("client", client), kv("address", where), kv("backoff_seconds", d.toSeconds()));
        }
    }

    /** A successful client authentication: that client and address start again with a full allowance. */
    public void clientAuthSucceeded(String client, String address) {
        if (enabled) {
            pairs.invalidate(client + " " + addressKey(address));
        }
    }

    private Failures failures(int max) {
        Bucket allowance = Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(max).refillGreedy(max, failures.window()).build())
                .withCustomTimePrecision(time).build();
        return new Failures(allowance, max, failures.backoff(), failures.maxBackoff());
    }

    /** Entries held in all caches, after pending evictions ran (for tests of the memory bound). */
    long tracked() {
        buckets.cleanUp();
        pairs.cleanUp();
        clients.cleanUp();
        return buckets.estimatedSize() + pairs.estimatedSize() + clients.estimatedSize();
    }

    /** Whole seconds for Retry-After (RFC 9110 §10.2.3), rounded up, at least 1. */
    private static Duration seconds(long nanos) {
        return Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
    }

    /** An IPv4 address as is; an IPv6 address by its /64 (one subscriber's usual allocation). */
    static String addressKey(String address) {
        if (address.indexOf(':') < 0 || !address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            return address;
        }
        try {
            byte[] b = InetAddress.getByName(address).getAddress(); // a literal (checked above): no DNS lookup
            if (b.length == 4) {
                return InetAddress.getByAddress(b).getHostAddress(); // IPv4-mapped
            }
            return HexFormat.of().formatHex(b, 0, 8) + "::/64";
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
