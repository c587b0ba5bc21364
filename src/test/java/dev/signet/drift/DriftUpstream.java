package dev.signet.drift;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scriptable OIDC upstream for the drift tests: its discovery document's issuer and RFC 9207
 * {@code authorization_response_iss_parameter_supported} and its JWK Set can be changed while
 * Signet probes it.
 */
final class DriftUpstream implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();
    final HttpServer server;
    final String base;
    final AtomicReference<String> issuer = new AtomicReference<>();
    final AtomicBoolean issParameter = new AtomicBoolean(false);
    final List<JWK> keys = new CopyOnWriteArrayList<>();

    DriftUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        base = "http://127.0.0.1:" + server.getAddress().getPort();
        issuer.set(base);
        addKey("k1");
        server.createContext("/.well-known/openid-configuration", ex -> {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("issuer", issuer.get());
            doc.put("authorization_endpoint", base + "/authorize");
            doc.put("token_endpoint", base + "/token");
            doc.put("jwks_uri", base + "/jwks");
            if (issParameter.get()) {
                doc.put("authorization_response_iss_parameter_supported", true);
            }
            send(ex, JSON.writeValueAsString(doc));
        });
        server.createContext("/jwks", ex -> send(ex, new JWKSet(List.copyOf(keys)).toString()));
        server.createContext("/authorize", ex -> send(ex, "<html>sign in</html>"));
        server.start();
    }

    void addKey(String kid) {
        try {
            keys.add(new RSAKeyGenerator(2048).keyID(kid).algorithm(com.nimbusds.jose.JWSAlgorithm.RS256).generate().toPublicJWK());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", body.startsWith("<") ? "text/html" : "application/json");
        ex.sendResponseHeaders(200, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
