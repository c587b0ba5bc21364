package dev.signet.drift;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 15, DESIGN failure policy "JWKS refetched once on unknown kid; last good kept": real
 * sign-ins through OIDC upstreams whose ID tokens Signet verifies with the upstream's JWK Set.
 * A key rotated in is accepted after one refetch; an unknown {@code kid} while the JWK Set endpoint
 * is down fails that sign-in with an upstream reason (not a 500) and the last good keys keep
 * serving; and they survive the connector forgetting its discovery document when the drift watcher
 * saw the document change (a new token endpoint): the key source is kept while {@code jwks_uri} stays the same.
 */
class JwksResilienceTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static SigningUpstream rotating;
    static SigningUpstream failing;
    static SignetHarness signet;

    @BeforeAll
    static void start() {
        rotating = new SigningUpstream();
        failing = new SigningUpstream();
        signet = SignetHarness.start(SignetHarness.server() + """
                probes:
                  interval: 1s
                  timeout: 5s
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - {id: rot, kind: oidc, issuer: "${ROT}", client_id: signet, client_secret: upstream-secret-123, discovery: auto}
                      - {id: down, kind: oidc, issuer: "${DOWN}", client_id: signet, client_secret: upstream-secret-123, discovery: auto}
                """, Map.of("ROT", rotating.base, "DOWN", failing.base));
    }

    @AfterAll
    static void stop() {
        signet.close();
        rotating.close();
        failing.close();
    }

    /** A sign-in through {@code connection}: the answer to the upstream's callback at Signet. */
    static HttpResponse<String> signIn(String connection) {
        Browser browser = new Browser();
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid email", Map.of());
        HttpResponse<String> chooser = browser.get(auth.url());
        URI toUpstream = Browser.location(browser.get(Browser.link(chooser.body(), "/signin/" + connection + "?")));
        HttpResponse<String> callback = browser.get(Browser.location(browser.get(toUpstream)));
        if (callback.statusCode() == 302) {
            assertThat(Browser.query(Browser.location(callback))).containsKey("code"); // straight back to the app (issue 16)
        }
        return callback;
    }

    @Test
    void upstreamRotatesInANewKeyThenTheUnknownKidIsFetchedOnceAndAccepted() {
        assertThat(signIn("rot").statusCode()).isEqualTo(302);
        int fetches = rotating.connectorJwksFetches.get();
        rotating.addKey("k2");
        rotating.signWith.set("k2");
        assertThat(signIn("rot").statusCode()).as("the rotated key is accepted after the refetch").isEqualTo(302);
        assertThat(signIn("rot").statusCode()).isEqualTo(302);
        assertThat(rotating.connectorJwksFetches.get()).as("one refetch for the unknown kid").isEqualTo(fetches + 1);
    }

    @Test
    void unknownKidWhileTheKeySetIsDownThenThatSignInFailsAndTheLastGoodKeysKeepServing() {
        assertThat(signIn("down").statusCode()).isEqualTo(302);
        failing.jwksDown.set(true);
        failing.addKey("k2");
        failing.signWith.set("k2");
        HttpResponse<String> refused = signIn("down");
        assertThat(refused.statusCode()).as("an upstream failure page, not a 500").isEqualTo(502);
        assertThat(refused.body()).containsPattern("upstream\\.(id_token_invalid|unreachable)");

        failing.signWith.set("k1");
        assertThat(signIn("down").statusCode()).as("the last good key set still verifies k1").isEqualTo(302);

        // The drift watcher sees the discovery document change and the connector forgets it: the key set stays.
        failing.tokenPath.set("/token2");
        await("the drift watcher saw the new token endpoint", () -> new Browser().get(signet.management("/metrics")).body()
                .contains("signet_upstream_drift_total{connection=\"down\",field=\"token_endpoint\"} 1.0"));
        long runs = runs("down");
        await("one more probe run (the look that counted it has made the connector forget)", () -> runs("down") > runs);
        HttpResponse<String> afterForget = signIn("down");
        assertThat(afterForget.statusCode()).as("k1 still verifies with the JWK Set endpoint down: " + afterForget.body()).isEqualTo(302);
        assertThat(failing.token2.get()).as("the connector refetched the discovery document: it used the new token endpoint").isEqualTo(1);
        failing.jwksDown.set(false);
    }

    static long runs(String connection) {
        for (JsonNode r : JSON.readTree(new Browser().get(signet.management("/probes")).body())) {
            if (r.path("connection").asString("").equals(connection)) {
                return r.path("runs").asLong();
            }
        }
        return 0;
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // poll with a deadline
        }
    }

    /**
     * An OIDC upstream that signs its ID tokens: discovery (with a switchable RFC 9207 flag), an
     * authorization endpoint that answers at once, a token endpoint, and a JWK Set endpoint that can
     * be made to fail for the connector's key source (the JDK's URLConnection, {@code Java/…}). The
     * probe's refetch (the JDK HttpClient) still gets the set: failing it every second would open the
     * connection's circuit breaker, which is another matter than the key source kept here.
     */
    static final class SigningUpstream implements AutoCloseable {
        final HttpServer server;
        final String base;
        final Map<String, RSAKey> keys = new ConcurrentHashMap<>();
        final AtomicReference<String> signWith = new AtomicReference<>("k1");
        final AtomicBoolean jwksDown = new AtomicBoolean();
        final AtomicBoolean issParameter = new AtomicBoolean();
        final AtomicInteger connectorJwksFetches = new AtomicInteger();
        final AtomicReference<String> tokenPath = new AtomicReference<>("/token");
        final AtomicInteger token2 = new AtomicInteger();
        final Map<String, String> nonces = new ConcurrentHashMap<>();

        SigningUpstream() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            base = "http://127.0.0.1:" + server.getAddress().getPort();
            addKey("k1");
            server.createContext("/.well-known/openid-configuration", ex -> {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("issuer", base);
                doc.put("authorization_endpoint", base + "/authorize");
                doc.put("token_endpoint", base + tokenPath.get());
                doc.put("jwks_uri", base + "/jwks");
                if (issParameter.get()) {
                    doc.put("authorization_response_iss_parameter_supported", true);
                }
                send(ex, 200, JSON.writeValueAsString(doc));
            });
            server.createContext("/jwks", ex -> {
                boolean connector = ex.getRequestHeaders().getFirst("User-Agent").startsWith("Java/");
                if (connector) {
                    connectorJwksFetches.incrementAndGet();
                }
                if (jwksDown.get() && connector) {
                    send(ex, 503, "{\"error\":\"down\"}");
                    return;
                }
                send(ex, 200, new JWKSet(keys.values().stream().map(k -> (JWK) k.toPublicJWK()).toList()).toString());
            });
            server.createContext("/authorize", ex -> {
                Map<String, String> q = Browser.query(ex.getRequestURI());
                String code = RelyingParty.random();
                nonces.put(code, q.get("nonce"));
                Map<String, String> back = new LinkedHashMap<>();
                back.put("code", code);
                back.put("state", q.get("state"));
                if (issParameter.get()) {
                    back.put("iss", base);
                }
                ex.getResponseHeaders().set("Location", q.get("redirect_uri") + "?" + Browser.form(back));
                ex.sendResponseHeaders(302, -1);
                ex.close();
            });
            server.createContext("/token", ex -> {
                if (ex.getRequestURI().getPath().equals("/token2")) {
                    token2.incrementAndGet();
                }
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String code = Browser.query(URI.create("http://x/?" + form)).get("code");
                String nonce = nonces.remove(code);
                if (nonce == null) {
                    send(ex, 400, "{\"error\":\"invalid_grant\"}");
                    return;
                }
                send(ex, 200, JSON.writeValueAsString(Map.of("access_token", RelyingParty.random(), "token_type", "Bearer",
                        "expires_in", 300, "id_token", idToken(nonce))));
            });
            server.start();
        }

        void addKey(String kid) {
            try {
                keys.put(kid, new RSAKeyGenerator(2048).keyID(kid).algorithm(JWSAlgorithm.RS256).generate());
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        String idToken(String nonce) {
            try {
                RSAKey key = keys.get(signWith.get());
                Instant now = Instant.now();
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                        new JWTClaimsSet.Builder().issuer(base).subject("user-1").audience("signet").expirationTime(Date.from(now.plusSeconds(300)))
                                .issueTime(Date.from(now)).claim("nonce", nonce).claim("email", "user1@example.com")
                                .claim("email_verified", true).build());
                jwt.sign(new RSASSASigner(key));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        private static void send(HttpExchange ex, int status, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
