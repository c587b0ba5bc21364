package dev.signet.connector.fake;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.connector.ConnectorContract.Fault;
import dev.signet.connector.ConnectorContract.Person;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Microsoft Entra ID's v2.0 endpoints on a real port, signing ID tokens with its own RSA key
 * (learn.microsoft.com: "OpenID Connect on the Microsoft identity platform", "ID token claims"):
 * {@code /{tenant}/v2.0/.well-known/openid-configuration} (for {@code common}/{@code organizations}
 * the issuer is the {@code {tenantid}} template), {@code /{tenant}/oauth2/v2.0/authorize} and
 * {@code /token}, {@code /common/discovery/v2.0/keys}. Each token's {@code iss} is
 * {@code {base}/{tid}/v2.0} for the scripted home tenant, with {@code tid}, {@code oid},
 * {@code ver}, {@code preferred_username} and, when the person's email is verified, {@code xms_edov}.
 * The signing key can be rotated; JWKS fetches are counted.
 */
public final class EntraFake implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Grant(Person person, String tenant, Optional<String> issuer, String nonce, String redirectUri, String challenge) {}

    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicReference<Fault> tokenFault = new AtomicReference<>();
    private final AtomicReference<Boolean> withoutIdToken = new AtomicReference<>(false);
    private volatile RSAKey key = newKey();
    private volatile Person next = new Person("nobody", "nobody@example.com", false, "Nobody");
    private volatile String tenant = "00000000-0000-0000-0000-000000000000";
    private volatile Optional<String> forgedIssuer = Optional.empty();

    public EntraFake() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The next sign-in is {@code p} from directory {@code tid}. */
    public void nextSignIn(Person p, String tid) {
        next = p;
        tenant = tid;
        forgedIssuer = Optional.empty();
    }

    /** The next token claims {@code tid} of the person's tenant but carries this {@code iss}. */
    public void nextIssuer(String iss) {
        forgedIssuer = Optional.of(iss);
    }

    /** A new signing key with a new {@code kid}; the JWKS publishes only the new one. */
    public void rotateKey() {
        key = newKey();
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public String nextTokenResponseWithoutIdToken() {
        withoutIdToken.set(true);
        return "id_token";
    }

    public void failNextTokenRequest(Fault fault) {
        tokenFault.set(fault);
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID(RelyingParty.random().substring(0, 12)).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String[] p = x.getRequestURI().getPath().split("/", 3); // "", tenant, rest
            String seg = p.length > 1 ? p[1] : "";
            String rest = p.length > 2 ? p[2] : "";
            switch (rest) {
                case "v2.0/.well-known/openid-configuration" -> send(x, 200, JSON.writeValueAsString(metadata(seg)));
                case "oauth2/v2.0/authorize" -> authorize(x, seg);
                case "oauth2/v2.0/token" -> token(x);
                case "discovery/v2.0/keys" -> {
                    jwksFetches.incrementAndGet();
                    send(x, 200, new JWKSet(key.toPublicJWK()).toString());
                }
                default -> send(x, 404, "{\"error\":\"not_found\"}");
            }
        }
    }

    private Map<String, Object> metadata(String seg) {
        String b = base();
        String issuer = switch (seg) {
            case "common", "organizations" -> b + "/{tenantid}/v2.0";
            case "consumers" -> b + "/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0";
            default -> b + "/" + seg + "/v2.0";
        };
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token_endpoint", b + "/" + seg + "/oauth2/v2.0/token");
        m.put("token_endpoint_auth_methods_supported", java.util.List.of("client_secret_post", "private_key_jwt", "client_secret_basic"));
        m.put("jwks_uri", b + "/" + seg + "/discovery/v2.0/keys");
        m.put("response_modes_supported", java.util.List.of("query", "fragment", "form_post"));
        m.put("subject_types_supported", java.util.List.of("pairwise"));
        m.put("id_token_signing_alg_values_supported", java.util.List.of("RS256"));
        m.put("issuer", issuer);
        m.put("authorization_endpoint", b + "/" + seg + "/oauth2/v2.0/authorize");
        m.put("tenant_region_scope", null);
        m.put("cloud_instance_name", "microsoftonline.com");
        return m;
    }

    private void authorize(HttpExchange x, String seg) throws IOException {
        Map<String, String> q = Browser.query(x.getRequestURI());
        String code = RelyingParty.random();
        codes.put(code, new Grant(next, tenant, forgedIssuer, q.getOrDefault("nonce", ""), q.get("redirect_uri"),
                q.getOrDefault("code_challenge", "")));
        x.getResponseHeaders().set("Location", q.get("redirect_uri") + "?" + Browser.form(Map.of("code", code, "state", q.get("state"),
                "session_state", RelyingParty.random())));
        x.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange x) throws IOException {
        Fault fault = tokenFault.getAndSet(null);
        if (fault == Fault.SERVER_ERROR) {
            send(x, 503, "{\"error\":\"temporarily_unavailable\"}");
            return;
        }
        if (fault == Fault.TIMEOUT) {
            try {
                closed.await(3, TimeUnit.SECONDS); // longer than the connection's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, String> form = Browser.query(URI.create("?" + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Grant g = codes.remove(form.getOrDefault("code", ""));
        if (g == null || !g.redirectUri().equals(form.get("redirect_uri"))
                || !RelyingParty.s256(form.getOrDefault("code_verifier", "")).equals(g.challenge())) {
            send(x, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70008: The provided authorization code has expired.\"}");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token_type", "Bearer");
        body.put("scope", "openid email profile");
        body.put("expires_in", 3599);
        body.put("ext_expires_in", 3599);
        body.put("access_token", "eyJ0eXAi.opaque." + RelyingParty.random());
        if (!withoutIdToken.getAndSet(false)) {
            body.put("id_token", idToken(g));
        }
        send(x, 200, JSON.writeValueAsString(body));
    }

    private String idToken(Grant g) {
        Instant now = Instant.now();
        Person p = g.person();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .issuer(g.issuer().orElse(base() + "/" + g.tenant() + "/v2.0"))
                .subject(p.subject())
                .audience("signet")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(3600)))
                .claim("nonce", g.nonce())
                .claim("tid", g.tenant())
                .claim("oid", "oid-" + p.subject())
                .claim("ver", "2.0")
                .claim("name", p.name())
                .claim("preferred_username", p.email())
                .claim("email", p.email())
                .claim("aio", "AWQAm/8TAAAA");
        if (p.emailVerified()) {
            c.claim("xms_edov", true);
        }
        p.extra().forEach(c::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), c.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
