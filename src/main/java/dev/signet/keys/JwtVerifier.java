package dev.signet.keys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies JWTs Signet itself issued: signature with the keys of the tenant the request is for
 * (never another tenant's, issue 11), {@code typ}, {@code iss} and expiry against Signet's clock,
 * with a clock skew of a few seconds ({@code server.clock_skew}, not Nimbus's default of 60 s:
 * Signet checks its own tokens with its own clock). Returns empty for any token that does not pass;
 * never throws on bad input (a store failure while loading the tenant's keys is thrown: that is the
 * store, not the token).
 *
 * <p>With a cache ({@code server.verified_token_cache}, issue 16) a token that verified once is not
 * verified again until its {@code exp} or until the tenant's keys change ({@link VerifiedTokens}); the
 * caller still checks revocation on every use.
 */
public final class JwtVerifier {

    /** Hands the request's tenant keys to the key selector (one processor serves every tenant). */
    private record TenantJwks(JWKSet keys) implements SecurityContext {}

    private final DefaultJWTProcessor<TenantJwks> processor = new DefaultJWTProcessor<>();
    private final TenantKeys keys;
    private final VerifiedTokens verified;

    /** Without a cache: every call verifies the signature. */
    /**
     * @param clock the clock expiry is checked against: Signet's clock, not Nimbus's default system time. The
     *     issuer is checked per call ({@link #verify(String, String, String)}): each domain has its own.
     * @param maxClockSkew how long after {@code exp} (and before {@code nbf}) a token is still accepted; whole
     *     seconds ({@code server.clock_skew})
     * @param cacheCapacity how many verified tokens to remember ({@code server.verified_token_cache}); 0: none
     * @param provider who computes the signatures ({@code server.crypto_provider})
     */
    public JwtVerifier(TenantKeys keys, JOSEObjectType type, Clock clock, Duration maxClockSkew, long cacheCapacity,
            SignatureProvider provider) {
        this.keys = keys;
        this.verified = new VerifiedTokens(cacheCapacity, clock);
        processor.setJWSVerifierFactory(provider.verifierFactory());
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<TenantJwks>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                (selector, context) -> selector.select(context.keys())));
        DefaultJWTClaimsVerifier<TenantJwks> claims = new DefaultJWTClaimsVerifier<>(null,
                Set.of("iss", "sub", "exp", "iat", "jti")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(Math.toIntExact(maxClockSkew.toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The claims of {@code token} if it verifies with {@code tenant}'s keys and its {@code iss} is exactly {@code issuer}. */
    public Optional<JWTClaimsSet> verify(String token, String tenant, String issuer) {
        JWKSet tenantKeys = keys.keys(tenant).publicKeys();
        String hash = verified.enabled() ? VerifiedTokens.hash(token) : "";
        Optional<JWTClaimsSet> known = verified.get(tenant, issuer, hash, tenantKeys);
        if (known.isPresent()) {
            return known;
        }
        try {
            JWTClaimsSet claims = processor.process(token, new TenantJwks(tenantKeys));
            if (!issuer.equals(claims.getIssuer())) {
                return Optional.empty();
            }
            verified.put(tenant, issuer, hash, tenantKeys, claims);
            return Optional.of(claims);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Drops the remembered tokens of {@code tenant}: its keys changed (rotation, retirement, reload). */
    public void forget(String tenant) {
        verified.forget(tenant);
    }

    /** Drops every remembered token (this node may have missed key changes). */
    public void forgetAll() {
        verified.forgetAll();
    }

    /** How many verified tokens are remembered now (at most the capacity). */
    public long cached() {
        return verified.size();
    }

    /** Calls answered from the cache, and calls that had to verify (cache on only). */
    public long cacheHits() {
        return verified.hits();
    }

    public long cacheMisses() {
        return verified.misses();
    }
}
