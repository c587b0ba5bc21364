package dev.signet.keys;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.LogCapture;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: on a platform where Conscrypt's native library does not load, {@code auto} falls back to
 * the JDK's providers, says so in exactly one WARN line naming the JDK, and still signs and verifies.
 * (The running-server tests with each provider are in {@code protocol/SignatureProviderTest}; a
 * missing native library cannot be arranged for a whole server in this JVM.)
 */
class SignatureProviderFallbackTest {

    @Test
    void autoWhenConscryptDoesNotLoadThenJdkWithOneWarnLineAndWorkingSignatures() throws Exception {
        SignatureProvider p;
        List<ILoggingEvent> lines;
        try (LogCapture log = LogCapture.forLogger(SignatureProvider.class)) {
            p = SignatureProvider.choose("auto", "server.crypto_provider", Optional::empty);
            lines = log.events();
        }
        assertThat(p.name()).isEqualTo("JDK");
        assertThat(lines).hasSize(1);
        assertThat(lines.getFirst().getLevel()).isEqualTo(Level.WARN);
        assertThat(Arrays.toString(lines.getFirst().getArgumentArray())).contains("crypto_provider=JDK");

        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k").generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k").build(),
                new JWTClaimsSet.Builder().subject("s").build());
        jwt.sign(p.signer(key));
        assertThat(SignedJWT.parse(jwt.serialize()).verify(p.verifier(key.toPublicJWK()))).isTrue();
    }

    @Test
    void chooseAheadWhenChoosingFailsThenGetThrowsTheSameException() {
        var chosen = SignatureProvider.chooseAhead("auto", java.util.Map.of(SignatureProvider.ENV, "fastest"));

        org.assertj.core.api.Assertions.assertThatThrownBy(chosen::get).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SIGNET_CRYPTO must be auto or jdk");
        assertThat(SignatureProvider.chooseAhead("jdk", java.util.Map.of()).get().name()).isEqualTo("JDK");
    }
}
