package dev.signet.keys;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Signet's own JWTs this node already verified (issue 16: no signature work the protocol does not
 * need): an ES256 verification costs far more than the rest of a {@code /userinfo} or {@code
 * /introspect} request. Holds <b>only</b> the outcome of the signature, {@code typ}, {@code iss} and
 * expiry check, never an answer: revocation (by {@code jti}, of the grant) and the user are looked up
 * on every request by the endpoints, so they take effect at once.
 *
 * <p>Keyed by tenant, issuer and the token's SHA-256 (never the bearer token itself), so a token
 * verified for one tenant or domain never answers for another. An entry is used only while the key
 * set it was verified with is still the tenant's published set (the same {@link JWKSet} instance):
 * any rotation, retirement or reload of the tenant's keys makes every entry of that tenant miss, and
 * {@link #forget} drops them. An entry is used only before the token's {@code exp} (no clock skew: a
 * token in its grace period is verified again) and expires from memory then, by the injected clock.
 * Bounded to {@code capacity} entries (Caffeine's size eviction); a capacity of 0 turns it off.
 */
final class VerifiedTokens {

    private record Key(String tenant, String issuer, String tokenHash) {}

    private record Entry(JWTClaimsSet claims, JWKSet verifiedWith, Instant expires) {}

    private final Cache<Key, Entry> entries;
    private final Clock clock;
    private final boolean enabled;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    VerifiedTokens(long capacity, Clock clock) {
        this.clock = clock;
        this.enabled = capacity > 0;
        this.entries = Caffeine.newBuilder()
                .maximumSize(capacity)
                .expireAfter(Expiry.<Key, Entry>creating((k, e) -> java.time.Duration.between(clock.instant(), e.expires())))
                .ticker(() -> {
                    Instant now = clock.instant();
                    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
                })
                .executor(Runnable::run) // maintenance on the caller: no pool thread, eviction without delay
                .build();
    }

    /** The claims verified earlier for this token, tenant and issuer with exactly {@code current} keys, and not expired now. */
    Optional<JWTClaimsSet> get(String tenant, String issuer, String tokenHash, JWKSet current) {
        if (!enabled) {
            return Optional.empty();
        }
        Entry e = entries.getIfPresent(new Key(tenant, issuer, tokenHash));
        if (e == null || e.verifiedWith() != current || !clock.instant().isBefore(e.expires())) {
            misses.increment();
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(e.claims());
    }

    /** Remembers a token that just verified with {@code current}; one without {@code exp}, or past it, is not kept. */
    void put(String tenant, String issuer, String tokenHash, JWKSet current, JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        if (!enabled || exp == null || !clock.instant().isBefore(exp.toInstant())) {
            return;
        }
        entries.put(new Key(tenant, issuer, tokenHash), new Entry(claims, current, exp.toInstant()));
    }

    static String hash(String token) {
        return Ids.hash(token);
    }

    boolean enabled() {
        return enabled;
    }

    /** Drops the tenant's entries (its keys changed); a scan, as key changes are rare. */
    void forget(String tenant) {
        entries.asMap().keySet().removeIf(k -> k.tenant().equals(tenant));
    }

    void forgetAll() {
        entries.invalidateAll();
    }

    long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }
}
