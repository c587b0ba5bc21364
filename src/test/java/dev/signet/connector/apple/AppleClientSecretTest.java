package dev.signet.connector.apple;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.config.Secret;
import dev.signet.harness.MutableClock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The signed client secret on a settable clock: its claims and ES256 signature, reused while fresh,
 * signed anew {@link AppleClientSecret#RENEW_BEFORE} its expiry, never past six months; and which
 * keys the configuration refuses.
 */
class AppleClientSecretTest {

    final ECKey key = generate(Curve.P_256);
    final MutableClock clock = new MutableClock();
    final AppleSettings settings = new AppleSettings(AppleSettings.ISSUER, "dev.signet.web", "TEAM123456", "KEY7654321",
            new Secret(pem(key)), List.of("name", "email"), Duration.ofSeconds(10), false);

    @Test
    void valueThenEs256JwtWithApplesClaimsSignedByTheTeamKey() throws Exception {
        SignedJWT jwt = SignedJWT.parse(new AppleClientSecret(settings, clock).value());
        assertThat(jwt.verify(new ECDSAVerifier(key.toECPublicKey()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("KEY7654321");
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getIssuer()).isEqualTo("TEAM123456");
        assertThat(c.getSubject()).isEqualTo("dev.signet.web");
        assertThat(c.getAudience()).containsExactly("https://appleid.apple.com");
        assertThat(c.getIssueTime().toInstant()).isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Duration lifetime = Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant());
        assertThat(lifetime).isPositive().isLessThanOrEqualTo(Duration.ofDays(182));
    }

    @Test
    void valueWhenFreshThenReusedAndBeforeExpiryThenRenewed() throws Exception {
        AppleClientSecret secret = new AppleClientSecret(settings, clock);
        String first = secret.value();
        clock.advance(AppleClientSecret.LIFETIME.minus(AppleClientSecret.RENEW_BEFORE).minusSeconds(1));
        assertThat(secret.value()).isEqualTo(first);
        clock.advance(Duration.ofSeconds(1));
        String renewed = secret.value();
        assertThat(renewed).isNotEqualTo(first);
        // the renewed one is valid from now on, for a whole lifetime
        JWTClaimsSet c = SignedJWT.parse(renewed).getJWTClaimsSet();
        assertThat(c.getExpirationTime().toInstant()).isAfter(clock.instant().plus(AppleClientSecret.RENEW_BEFORE));
    }

    @Test
    void problemWhenNotAP256Pkcs8KeyThenNamed() {
        assertThat(AppleClientSecret.problem(new Secret(pem(key)))).isEmpty();
        assertThat(AppleClientSecret.problem(new Secret(pem(generate(Curve.P_384))))).hasValueSatisfying(p -> assertThat(p).contains("P-256"));
        assertThat(AppleClientSecret.problem(new Secret("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----")))
                .hasValueSatisfying(p -> assertThat(p).contains("PKCS#8"));
        assertThat(AppleClientSecret.problem(new Secret("-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----"))).isPresent();
    }

    static ECKey generate(Curve curve) {
        try {
            return new ECKeyGenerator(curve).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(ECKey k) {
        try {
            return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(k.toECPrivateKey().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
