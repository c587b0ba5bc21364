package dev.signet.connector.apple;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.signet.ConfigException;
import dev.signet.app.Signet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kind: apple} as the configuration loads it: the preset issuer and endpoints, and every
 * mistake listed at once with its path (a team or key id that is not Apple's, a key that is not a
 * P-256 PKCS#8 PEM, scopes Apple does not know), the key's content never in a message.
 */
class AppleSettingsTest {

    static String config(String connection) {
        return """
                server:
                  host: 127.0.0.1
                  port: 8080
                tenants:
                  - name: default
                    connections:
                """ + connection.stripIndent().indent(6);
    }

    @Test
    void readWhenValidThenApplesIssuerAndEndpoints() {
        var tenant = Signet.configLoader(Map.of("APPLE_KEY", AppleClientSecretTest.pem(AppleClientSecretTest.generate(
                com.nimbusds.jose.jwk.Curve.P_256)))).parse(config("""
                - id: apple
                  kind: apple
                  client_id: dev.signet.web
                  team_id: TEAM123456
                  key_id: KEY7654321
                  private_key: ${APPLE_KEY}
                """), "test.yaml").tenants().getFirst();
        AppleSettings s = (AppleSettings) tenant.connections().getFirst().options();
        assertThat(s.issuer()).hasToString("https://appleid.apple.com");
        assertThat(s.authorization()).hasToString("https://appleid.apple.com/auth/authorize");
        assertThat(s.token()).hasToString("https://appleid.apple.com/auth/token");
        assertThat(s.jwks()).hasToString("https://appleid.apple.com/auth/keys");
        assertThat(s.scopes()).containsExactly("name", "email");
        assertThat(s.toString()).doesNotContain("PRIVATE KEY");
    }

    @Test
    void readWhenMistakesThenEveryOneListedWithItsPath() {
        String p384 = AppleClientSecretTest.pem(AppleClientSecretTest.generate(com.nimbusds.jose.jwk.Curve.P_384));
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Signet.configLoader(Map.of("APPLE_KEY", p384))
                .parse(config("""
                        - id: apple
                          kind: apple
                          client_id: dev.signet.web
                          team_id: team
                          key_id: KEY7654321X
                          private_key: ${APPLE_KEY}
                          scopes: [openid, email]
                          iss_parameter_supported: false
                        - id: nokey
                          kind: apple
                          client_id: dev.signet.web
                          team_id: TEAM123456
                          key_id: KEY7654321
                        """), "test.yaml"));
        assertThat(e).isNotNull();
        String at = "tenants[0].connections[0].";
        assertThat(e.problems()).extracting(ConfigException.Problem::path).contains(at + "team_id", at + "key_id", at + "private_key",
                at + "scopes", at + "iss_parameter_supported", "tenants[0].connections[1].private_key");
        assertThat(e.getMessage()).contains("P-256").contains("'openid'").doesNotContain(p384.lines().skip(1).findFirst().orElseThrow());
    }
}
