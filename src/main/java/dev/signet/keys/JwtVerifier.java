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
 */
public final class JwtVerifier {

    /** Hands the request's tenant keys to the key selector (one processor serves every tenant). */
    private record TenantJwks(JWKSet keys) implements SecurityContext {}

    private final DefaultJWTProcessor<TenantJwks> processor = new DefaultJWTProcessor<>();
    private final TenantKeys keys;

    /**
     * @param clock the clock expiry is checked against: Signet's clock, not Nimbus's default system time. The
     *     issuer is checked per call ({@link #verify(String, String, String)}): each domain has its own.
     * @param maxClockSkew how long after {@code exp} (and before {@code nbf}) a token is still accepted; whole
     *     seconds ({@code server.clock_skew})
     */
    public JwtVerifier(TenantKeys keys, JOSEObjectType type, Clock clock, Duration maxClockSkew, SignatureProvider provider) {
        this.keys = keys;
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
        try {
            JWTClaimsSet claims = processor.process(token, new TenantJwks(tenantKeys));
            return issuer.equals(claims.getIssuer()) ? Optional.of(claims) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
