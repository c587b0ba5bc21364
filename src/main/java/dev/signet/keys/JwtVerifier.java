package dev.signet.keys;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.signet.config.ServerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies JWTs Signet itself issued: signature with the tenant's keys, {@code typ}, {@code iss}
 * and expiry against Signet's clock, with a clock skew of a few seconds ({@code server.clock_skew},
 * not Nimbus's default of 60 s: Signet checks its own tokens with its own clock). Returns empty
 * for any token that does not pass; never throws on bad input.
 */
public final class JwtVerifier {

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * @param clock the clock expiry is checked against: Signet's clock, not Nimbus's default system time. The
     *     issuer is checked per call ({@link #verify(String, String)}): each domain has its own.
     */
    public JwtVerifier(SigningKeys keys, JOSEObjectType type, Clock clock) {
        this(keys, type, clock, ServerSettings.DEFAULT_CLOCK_SKEW);
    }

    /** @param maxClockSkew how long after {@code exp} (and before {@code nbf}) a token is still accepted; whole seconds */
    public JwtVerifier(SigningKeys keys, JOSEObjectType type, Clock clock, Duration maxClockSkew) {
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(type));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(keys.publicKeys())));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null,
                Set.of("iss", "sub", "exp", "iat", "jti")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(Math.toIntExact(maxClockSkew.toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** The claims of {@code token} if it verifies and its {@code iss} is exactly {@code issuer}. */
    public Optional<JWTClaimsSet> verify(String token, String issuer) {
        try {
            JWTClaimsSet claims = processor.process(token, null);
            return issuer.equals(claims.getIssuer()) ? Optional.of(claims) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
