package dev.signet.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.LogCapture;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.keys.SignatureProvider;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 16: Signet signs and verifies its tokens (RS256 and ES256, RFC 7518 §3.3/§3.4) with Conscrypt
 * when it loads ({@code server.crypto_provider: auto}) and with the JDK's providers when forced
 * ({@code jdk}), and says which in exactly one log line at start. Each provider gets its own server:
 * tokens from {@code client_credentials} must verify against {@code /jwks} with the JDK's own
 * verifier (so the JOSE R‖S form of ES256 is right), and Signet's verification of them at
 * {@code /introspect} must accept them and refuse a tampered signature.
 */
class SignatureProviderTest {

    static final String CONFIG = """
            server:
              host: 127.0.0.1
              port: ${PORT}
              crypto_provider: %s
            data:
              dir: ${DATA}
            tenants:
              - name: default
                clients:
                  - id: es
                    secret: es-secret-0123456789
                    grant_types: [client_credentials]
                  - id: rs
                    secret: rs-secret-0123456789
                    grant_types: [client_credentials]
                    access_token_signed_response_alg: RS256
                connections:
                  - id: dev
                    kind: dev-unsafe
            """;

    @Test
    void autoSignsAndVerifiesWithConscryptAndSaysSo() throws Exception {
        signAndVerify("auto", "Conscrypt");
    }

    @Test
    void jdkForcedSignsAndVerifiesWithTheJdkAndSaysSo() throws Exception {
        signAndVerify("jdk", "JDK");
    }

    private static void signAndVerify(String setting, String expectedProvider) throws Exception {
        List<ILoggingEvent> lines;
        try (LogCapture log = LogCapture.forLogger(SignatureProvider.class); SignetHarness signet = SignetHarness.start(CONFIG.formatted(setting),
                Map.of(SignatureProvider.ENV, ""))) {
            lines = log.events();
            URI issuer = signet.issuer();
            JWKSet jwks = JWKSet.parse(RelyingParty.json(new dev.signet.harness.Browser().get(issuer.resolve("/jwks"))).toString());
            for (String[] client : new String[][] {{"es", "es-secret-0123456789", "ES256"}, {"rs", "rs-secret-0123456789", "RS256"}}) {
                String token = token(issuer, client[0], client[1]);
                SignedJWT jwt = SignedJWT.parse(token);
                assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.parse(client[2]));
                JWK key = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
                assertThat(key).as("the signing key is published").isNotNull();
                assertThat(jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
                        key.getKeyType().getValue().equals("RSA") ? key.toRSAKey().toPublicKey() : key.toECKey().toPublicKey())))
                        .as(client[2] + " verifies with the JDK's own provider").isTrue();

                assertThat(introspect(issuer, client[0], client[1], token).path("active").asBoolean()).as(client[2] + " verifies at Signet")
                        .isTrue();
                String[] parts = token.split("\\.");
                char last = parts[2].charAt(0);
                String tampered = parts[0] + "." + parts[1] + "." + (last == 'A' ? 'B' : 'A') + parts[2].substring(1);
                assertThat(introspect(issuer, client[0], client[1], tampered).path("active").asBoolean())
                        .as(client[2] + " with a changed signature does not verify").isFalse();
            }
        }
        assertThat(lines).as("exactly one line names the provider").hasSize(1);
        assertThat(Arrays.toString(lines.getFirst().getArgumentArray())).contains("crypto_provider=" + expectedProvider);
    }

    private static String token(URI issuer, String client, String secret) {
        HttpResponse<String> r = ClientCalls.basic(issuer, "/token", client, secret, Map.of("grant_type", "client_credentials"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r).path("access_token").asString();
    }

    private static JsonNode introspect(URI issuer, String client, String secret, String token) {
        HttpResponse<String> r = ClientCalls.basic(issuer, "/introspect", client, secret, Map.of("token", token));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return RelyingParty.json(r);
    }
}
