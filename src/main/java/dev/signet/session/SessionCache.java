package dev.signet.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.signet.store.Session;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Sessions this node validated against the store recently, by cookie hash, used <b>only</b> when
 * the store does not answer (postmortem 001: a transient store error must not sign anyone out).
 * While the store answers, every lookup goes to the store, so a revocation takes effect at once;
 * during an outage a revocation made in the last {@code ttl} may be missed on this node, which is
 * the price of not signing everyone out. With several nodes a revocation on any node reaches this
 * cache within a moment ({@link dev.signet.store.Changes}), and a node that lost its link to the
 * others drops the whole cache.
 *
 * <p>Bounded in size and time (Caffeine, timed by the injected clock so tests can move it).
 */
final class SessionCache {

    /** Default of {@code sessions.outage_cache_ttl}. */
    static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    /** The most entries when not sized from the heap (app.MemoryBudget gives fewer on a small one). */
    static final int MAX_ENTRIES = 100_000;

    private record Entry(Session session, Instant validatedAt) {}

    private final Cache<String, Entry> entries;
    private final Duration ttl;
    private final Clock clock;

    SessionCache(Duration ttl, Clock clock) {
        this(ttl, clock, MAX_ENTRIES);
    }

    SessionCache(Duration ttl, Clock clock, int maxEntries) {
        this.ttl = ttl;
        this.clock = clock;
        this.entries = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfterWrite(ttl.isZero() ? Duration.ofNanos(1) : ttl)
                .ticker(() -> clock.millis() * 1_000_000L)
                .build();
    }

    void validated(String hash, Session s) {
        if (!ttl.isZero()) {
            entries.put(hash, new Entry(s, clock.instant()));
        }
    }

    void forget(String hash) {
        entries.invalidate(hash);
    }

    /** Drops the session with this id (revoked, maybe on another node); a scan, as revocations are rare. */
    void forgetSession(String sessionId) {
        entries.asMap().values().removeIf(e -> e.session().id().equals(sessionId));
    }

    /** Drops everything (this node may have missed revocations). */
    void clear() {
        entries.invalidateAll();
    }

    /** The session validated within the ttl, still active now; empty otherwise. */
    Optional<Session> recent(String hash) {
        Instant now = clock.instant();
        Entry e = entries.getIfPresent(hash);
        if (e == null || e.validatedAt().plus(ttl).isBefore(now) || !e.session().activeAt(now)) {
            return Optional.empty();
        }
        return Optional.of(e.session());
    }
}
