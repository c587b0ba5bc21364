package dev.signet.app;

import dev.signet.ConfigException;
import dev.signet.config.RateLimitSettings;
import dev.signet.config.ServerSettings;
import dev.signet.config.SignetConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * What the node keeps in memory for others, sized to the heap it runs with. Four things grow with
 * traffic and hold heap until they are evicted: open connections, the rate limits' keys, the
 * session outage cache and the verified-token cache. Each is bounded, but until issue 16's seventh
 * round their bounds were fixed numbers (~100 MB together, connections unbounded) while the launcher
 * runs with {@code -Xmx80m}: enough clients keeping connections open made the node exit on
 * {@code OutOfMemoryError}, and so could enough source addresses or sessions.
 *
 * <p>Now each one that is not configured gets a share of the heap ({@code Runtime.maxMemory()}):
 * connections a fifth, each cache a tenth (at most its former fixed default), so together at most half
 * the heap; the other half is the node's own working set (~12 MB live) and the young generation. A
 * configured bound is taken as given, but if the configured and default bounds together could hold
 * more than half the heap, the node refuses to start and names each configured one with its cost
 * (raise the heap with {@code SIGNET_JAVA_OPTS=-Xmx…}, or lower them). Bytes per entry are measured
 * (heap after a collection, 20,000–50,000 entries of realistic size), rounded up.
 *
 * @param maxConnections the public listener's open connections
 * @param rateLimitKeys entries per kind of rate-limit state ({@code rate_limits.max_keys})
 * @param sessionCache sessions remembered for a store outage
 * @param verifiedTokens access tokens remembered as verified ({@code server.verified_token_cache}; 0: off)
 */
public record MemoryBudget(int maxConnections, int rateLimitKeys, int sessionCache, int verifiedTokens) {

    /** An open connection (web.ConnectionLimits: one 8 KiB buffer, a parked virtual thread, its read state; measured 15.4 KB). */
    static final long CONNECTION_BYTES = 16 * 1024;
    /** One of {@code max_keys}: an address's bucket (469 B) and a client-and-address failure count (526 B) and a tenth of a client's. */
    static final long RATE_LIMIT_KEY_BYTES = 1_100;
    /** A cached session: the session, its key and the cache's node (474 B). */
    static final long SESSION_BYTES = 512;
    /** A verified access token: its parsed claims, its key and the cache's node (1,784 B). */
    static final long VERIFIED_TOKEN_BYTES = 1_856;

    /** The share of the heap the default connection limit takes; each cache's default takes {@link #CACHE_SHARE}. */
    static final double CONNECTION_SHARE = 0.2;
    static final double CACHE_SHARE = 0.1;
    /** The most all bounds together may hold: the other half is the node's own working set and the young generation. */
    static final double BUDGET = 0.5;

    /** The most the session outage cache holds, however large the heap. */
    static final int MAX_SESSION_CACHE = 100_000;
    /** Bounds of the defaults: even a small heap serves a few clients. */
    static final int MIN_CONNECTIONS = 64;
    static final int MIN_RATE_LIMIT_KEYS = 1_000;
    static final int MIN_SESSION_CACHE = 1_000;
    static final int MIN_VERIFIED_TOKENS = 1_000;

    /**
     * The management listener's own limit: an eighth of the public one, at least 64 (123 at {@code -Xmx80m}). A scraper
     * keeps one connection, a health check opens one and closes it; a client that opens one per request and leaves it
     * open (a test's new HTTP client per poll) holds it until the idle timeout.
     */
    public int managementConnections() {
        return Math.max(MIN_CONNECTIONS, maxConnections / 8);
    }

    /** The bounds for this configuration and heap; every configured bound as given. */
    public static MemoryBudget of(SignetConfig config, long maxHeap) {
        ServerSettings s = config.server();
        int connections = s.maxConnections() != ServerSettings.AUTO_CONNECTIONS ? s.maxConnections()
                : share(maxHeap, CONNECTION_SHARE, CONNECTION_BYTES, MIN_CONNECTIONS, ServerSettings.MAX_CONNECTIONS);
        int keys = config.rateLimits().maxKeys() != RateLimitSettings.AUTO_MAX_KEYS ? config.rateLimits().maxKeys()
                : share(maxHeap, CACHE_SHARE, RATE_LIMIT_KEY_BYTES, MIN_RATE_LIMIT_KEYS, RateLimitSettings.DEFAULT_MAX_KEYS);
        int sessions = share(maxHeap, CACHE_SHARE, SESSION_BYTES, MIN_SESSION_CACHE, MAX_SESSION_CACHE);
        int tokens = s.verifiedTokenCache() != ServerSettings.AUTO_VERIFIED_TOKEN_CACHE ? s.verifiedTokenCache()
                : share(maxHeap, CACHE_SHARE, VERIFIED_TOKEN_BYTES, MIN_VERIFIED_TOKENS, ServerSettings.DEFAULT_VERIFIED_TOKEN_CACHE);
        return new MemoryBudget(connections, keys, sessions, tokens);
    }

    /**
     * As {@link #of}, refusing a configuration whose bounds could together hold more than half of
     * {@code maxHeap}: one problem per configured bound, each with its cost.
     */
    public static MemoryBudget checked(SignetConfig config, long maxHeap) {
        MemoryBudget b = of(config, maxHeap);
        long total = b.bytes();
        if (total <= (long) (maxHeap * BUDGET)) {
            return b;
        }
        String why = " could hold ~" + mib(total) + " MiB of heap with the other bounds (connections, rate-limit keys, session and"
                + " verified-token caches), more than half of this node's " + mib(maxHeap) + " MiB (-Xmx): lower it, or raise the heap"
                + " (SIGNET_JAVA_OPTS=-Xmx" + mib(heapFor(config, b)) + "m); README \"Connections and memory\"";
        List<ConfigException.Problem> problems = new ArrayList<>();
        ServerSettings s = config.server();
        if (s.maxConnections() != ServerSettings.AUTO_CONNECTIONS) {
            problems.add(new ConfigException.Problem("server.max_connections",
                    s.maxConnections() + " connections (~" + mib(s.maxConnections() * CONNECTION_BYTES) + " MiB)" + why));
        }
        if (config.rateLimits().maxKeys() != RateLimitSettings.AUTO_MAX_KEYS) {
            problems.add(new ConfigException.Problem("rate_limits.max_keys",
                    config.rateLimits().maxKeys() + " keys (~" + mib(config.rateLimits().maxKeys() * RATE_LIMIT_KEY_BYTES) + " MiB)" + why));
        }
        if (s.verifiedTokenCache() != ServerSettings.AUTO_VERIFIED_TOKEN_CACHE) {
            problems.add(new ConfigException.Problem("server.verified_token_cache",
                    s.verifiedTokenCache() + " tokens (~" + mib(s.verifiedTokenCache() * VERIFIED_TOKEN_BYTES) + " MiB)" + why));
        }
        if (problems.isEmpty()) { // only defaults: a heap too small for even their floors
            problems.add(new ConfigException.Problem("server", "the smallest bounds" + why));
        }
        throw new ConfigException(problems);
    }

    /**
     * An {@code -Xmx} under which these bounds fit: the configured ones take what they take, the default ones their share
     * of the heap (which grows with it), so the heap must be at least configured ÷ (½ − the defaults' shares); 10% more,
     * as {@code Runtime.maxMemory()} is the heap less a survivor space.
     */
    static long heapFor(SignetConfig config, MemoryBudget b) {
        ServerSettings s = config.server();
        long configured = 0;
        double shares = CACHE_SHARE; // the session outage cache is never configured
        if (s.maxConnections() != ServerSettings.AUTO_CONNECTIONS) {
            configured += b.maxConnections * CONNECTION_BYTES;
        } else {
            shares += CONNECTION_SHARE;
        }
        if (config.rateLimits().maxKeys() != RateLimitSettings.AUTO_MAX_KEYS) {
            configured += b.rateLimitKeys * RATE_LIMIT_KEY_BYTES;
        } else {
            shares += CACHE_SHARE;
        }
        if (s.verifiedTokenCache() != ServerSettings.AUTO_VERIFIED_TOKEN_CACHE) {
            configured += b.verifiedTokens * VERIFIED_TOKEN_BYTES;
        } else {
            shares += CACHE_SHARE;
        }
        // only defaults (shares = BUDGET): their floors did not fit; what they hold ÷ BUDGET does
        long heap = configured == 0 ? (long) (b.bytes() / BUDGET) : (long) (configured / (BUDGET - shares));
        return heap + heap / 10;
    }

    /** The most heap these bounds could hold together. */
    long bytes() {
        return maxConnections * CONNECTION_BYTES + rateLimitKeys * RATE_LIMIT_KEY_BYTES + sessionCache * SESSION_BYTES
                + verifiedTokens * VERIFIED_TOKEN_BYTES;
    }

    private static int share(long maxHeap, double share, long perEntry, int min, int max) {
        return (int) Math.max(min, Math.min(max, (long) (maxHeap * share) / perEntry));
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
