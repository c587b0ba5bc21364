package dev.signet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import dev.signet.ConfigException;
import dev.signet.app.Signet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's client keys (RFC 7591 names): {@code token_endpoint_auth_method}, {@code jwks} /
 * {@code jwks_uri}, {@code introspection.audiences}, the device_code grant type; every mistake
 * listed with its path in one load.
 */
class ClientAuthConfigTest {

    static final String HEAD = """
            server: {host: 127.0.0.1, port: 8080}
            tenants:
              - name: default
                connections: [{id: dev, kind: dev-unsafe}]
                clients:
            """;

    static SignetConfig parse(String clients, Map<String, String> env) {
        return Signet.configLoader(env).parse(HEAD + clients, "test.yaml");
    }

    static ClientSettings client(SignetConfig c, String id) {
        return c.tenants().getFirst().clients().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void parseWhenValidKeysThenReadAsGiven() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        SignetConfig c = parse("""
                      - id: backend
                        token_endpoint_auth_method: private_key_jwt
                        jwks: ${JWKS}
                        grant_types: [client_credentials]
                      - id: remote
                        token_endpoint_auth_method: private_key_jwt
                        jwks_uri: https://keys.example.com/jwks.json
                        grant_types: [client_credentials]
                      - id: api
                        secret: api-secret-0123456789
                        token_endpoint_auth_method: client_secret_post
                        grant_types: [client_credentials]
                        introspection: {audiences: [backend, remote]}
                      - id: tv
                        public: true
                        token_endpoint_auth_method: none
                        grant_types: [urn:ietf:params:oauth:grant-type:device_code]
                """, Map.of("JWKS", "{\"keys\":[" + key.toPublicJWK().toJSONString() + "]}"));

        assertThat(client(c, "backend").auth().privateKeyJwt()).isTrue();
        assertThat(client(c, "backend").isPublic()).isFalse();
        assertThat(client(c, "backend").auth().jwks().orElseThrow().getKeyByKeyId("k1")).isNotNull();
        assertThat(client(c, "remote").auth().jwksUri()).hasValueSatisfying(u -> assertThat(u.getHost()).isEqualTo("keys.example.com"));
        assertThat(client(c, "api").auth().accepts(ClientAuth.POST, true)).isTrue();
        assertThat(client(c, "api").auth().accepts(ClientAuth.BASIC, true)).isFalse();
        assertThat(client(c, "api").auth().introspectionAudiences()).containsExactlyInAnyOrder("backend", "remote");
        assertThat(client(c, "tv").allows("urn:ietf:params:oauth:grant-type:device_code")).isTrue();
    }

    @Test
    void parseWhenMethodUnstatedThenSecretClientAcceptsBothSecretMethodsAndPublicOnlyNone() {
        SignetConfig c = parse("""
                      - {id: conf, secret: conf-secret-0123456789, grant_types: [client_credentials]}
                      - {id: pub, public: true, redirect_uris: ["http://localhost:9/cb"]}
                """, Map.of());
        assertThat(client(c, "conf").auth().accepts(ClientAuth.BASIC, true)).isTrue();
        assertThat(client(c, "conf").auth().accepts(ClientAuth.POST, true)).isTrue();
        assertThat(client(c, "conf").auth().accepts(ClientAuth.PRIVATE_KEY_JWT, true)).isFalse();
        assertThat(client(c, "pub").auth().accepts(ClientAuth.NONE, false)).isTrue();
        assertThat(client(c, "pub").auth().accepts(ClientAuth.POST, false)).isFalse();
    }

    @Test
    void parseWhenEveryKindOfMistakeThenEveryProblemListedWithItsPath() throws Exception {
        ECKey privateKey = new ECKeyGenerator(Curve.P_256).keyID("p").generate();
        OctetSequenceKey hmac = new OctetSequenceKeyGenerator(256).keyID("h").generate();
        ECKey encryption = new ECKeyGenerator(Curve.P_256).keyID("e").keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).generate();
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse("""
                      - id: a
                        token_endpoint_auth_method: mtls
                        secret: a-secret-0123456789-a
                        grant_types: [client_credentials, urn:ietf:params:oauth:grant-type:jwt-bearer]
                      - id: b
                        token_endpoint_auth_method: private_key_jwt
                        grant_types: [client_credentials]
                      - id: c
                        token_endpoint_auth_method: private_key_jwt
                        secret: c-secret-0123456789-c
                        jwks_uri: http://keys.example.com/jwks.json
                        jwks: ${BAD_JWKS}
                        grant_types: [client_credentials]
                      - id: d
                        secret: d-secret-0123456789-d
                        jwks_uri: https://keys.example.com/jwks.json
                        token_endpoint_auth_method: client_secret_basic
                        grant_types: [client_credentials]
                      - id: e
                        token_endpoint_auth_method: none
                        secret: e-secret-0123456789-e
                        grant_types: [client_credentials]
                      - id: f
                        public: true
                        token_endpoint_auth_method: client_secret_post
                        redirect_uris: ["http://localhost:9/cb"]
                        introspection: {audiences: [nobody], extra: 1}
                      - id: g
                        token_endpoint_auth_method: private_key_jwt
                        jwks: {keys: []}
                        grant_types: [client_credentials]
                """, Map.of("BAD_JWKS", "{\"keys\":[" + privateKey.toJSONString() + "," + hmac.toJSONString() + ","
                + encryption.toPublicJWK().toJSONString()
                + ",{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}]}")));

        assertThat(e).isNotNull();
        assertThat(e.problems()).extracting(ConfigException.Problem::path).containsExactlyInAnyOrder(
                "tenants[0].clients[0].token_endpoint_auth_method",   // unknown method
                "tenants[0].clients[0].grant_types",                  // unknown grant type
                "tenants[0].clients[1].token_endpoint_auth_method",   // private_key_jwt without keys
                "tenants[0].clients[2].jwks_uri",                     // plain http off loopback
                "tenants[0].clients[2].jwks",                         // both jwks and jwks_uri
                "tenants[0].clients[2].jwks.keys[0]",                 // a private key
                "tenants[0].clients[2].jwks.keys[1]",                 // a symmetric key
                "tenants[0].clients[2].jwks.keys[2]",                 // use enc
                "tenants[0].clients[2].jwks.keys[3]",                 // an Ed25519 key (EdDSA is not offered)
                "tenants[0].clients[2].secret",                       // private_key_jwt with a secret
                "tenants[0].clients[3].jwks_uri",                     // keys without private_key_jwt
                "tenants[0].clients[4].token_endpoint_auth_method",   // none for a confidential client
                "tenants[0].clients[5].token_endpoint_auth_method",   // client_secret_post without a secret
                "tenants[0].clients[5].introspection",                // a public client cannot introspect
                "tenants[0].clients[5].introspection.extra",          // unknown key
                "tenants[0].clients[5].introspection.audiences",      // no such client
                "tenants[0].clients[6].jwks");                        // no keys
    }
}
