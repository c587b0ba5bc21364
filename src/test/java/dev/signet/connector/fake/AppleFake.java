package dev.signet.connector.fake;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
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
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sign in with Apple on a real port (developer.apple.com, "Sign in with Apple REST API",
 * "Incorporating Sign in with Apple into other platforms"): {@code /.well-known/openid-configuration},
 * {@code /auth/authorize} answering with {@code response_mode=form_post} (an auto-submitting form with
 * {@code code}, {@code state} and, on a person's first sign-in only, {@code user} JSON),
 * {@code /auth/token} and {@code /auth/keys}. The token endpoint takes {@code client_secret_post} and
 * verifies the client secret as Apple does: an ES256 JWT signed with the team's key (the public
 * half is all the fake keeps), {@code kid} = key id, {@code iss} = team id, {@code sub} = client id,
 * {@code aud} = the issuer, {@code exp} after now and at most six months after {@code iat};
 * otherwise {@code invalid_client}. ID tokens are RS256 with {@code email_verified} and
 * {@code is_private_email} as strings, as Apple sends them.
 */
public final class AppleFake implements AutoCloseable {

    public static final String TEAM_ID = "TEAM123456";
    public static final String KEY_ID = "KEY7654321";
    public static final String CLIENT_ID = "dev.signet.web";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Grant(Person person, String nonce, String redirectUri, String challenge) {}

    private final HttpServer server;
    private final ECKey teamKey;
    private final RSAKey signingKey;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final List<SignedJWT> secrets = new CopyOnWriteArrayList<>();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicReference<Fault> tokenFault = new AtomicReference<>();
    private final AtomicReference<Boolean> withoutIdToken = new AtomicReference<>(false);
    private volatile Person next = new Person("nobody", "nobody@example.com", false, "Nobody");
    private volatile String issuerInMetadata;
    private final AtomicReference<java.util.function.UnaryOperator<JWTClaimsSet.Builder>> tamper = new AtomicReference<>();
    private final AtomicReference<Boolean> foreignKey = new AtomicReference<>(false);

    public AppleFake() {
        try {
            teamKey = new ECKeyGenerator(Curve.P_256).keyID(KEY_ID).generate();
            signingKey = new RSAKeyGenerator(2048).keyID("apple-" + RelyingParty.random().substring(0, 6)).generate();
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        issuerInMetadata = base();
    }

    /** The issuer, as {@code unsafe_endpoint_base}. On 127.0.0.1: another site than Signet's localhost. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The team's private key as Apple hands it out: a PKCS#8 PEM (.p8). */
    public String privateKeyPem() {
        try {
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(teamKey.toECPrivateKey().getEncoded());
            return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public void nextSignIn(Person p) {
        next = p;
    }

    /** Apple's metadata names this issuer from now on (a provider that moved). */
    public void metadataIssuer(String issuer) {
        issuerInMetadata = issuer;
    }

    /** Every client secret the token endpoint received, in order. */
    public List<SignedJWT> clientSecrets() {
        return List.copyOf(secrets);
    }

    /** Why client secrets were refused, in order. */
    public List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The next ID token's claims are changed so (a wrong aud, nonce, expiry, issuer). */
    public void nextIdToken(java.util.function.UnaryOperator<JWTClaimsSet.Builder> change) {
        tamper.set(change);
    }

    /** The next ID token is signed with a key that is not in the JWKS, under the published kid. */
    public void nextIdTokenSignedByAnotherKey() {
        foreignKey.set(true);
    }

    public String nextTokenResponseWithoutIdToken() {
        withoutIdToken.set(true);
        return "id_token";
    }

    public void failNextTokenRequest(Fault fault) {
        tokenFault.set(fault);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            switch (x.getRequestURI().getPath()) {
                case "/.well-known/openid-configuration" -> send(x, 200, "application/json", JSON.writeValueAsString(metadata()));
                case "/auth/authorize" -> authorize(x);
                case "/auth/token" -> token(x);
                case "/auth/keys" -> send(x, 200, "application/json", new JWKSet(signingKey.toPublicJWK()).toString());
                default -> send(x, 404, "application/json", "{\"error\":\"not_found\"}");
            }
        }
    }

    private Map<String, Object> metadata() {
        String b = base();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuerInMetadata);
        m.put("authorization_endpoint", b + "/auth/authorize");
        m.put("token_endpoint", b + "/auth/token");
        m.put("revocation_endpoint", b + "/auth/revoke");
        m.put("jwks_uri", b + "/auth/keys");
        m.put("response_types_supported", List.of("code"));
        m.put("response_modes_supported", List.of("query", "fragment", "form_post"));
        m.put("subject_types_supported", List.of("pairwise"));
        m.put("id_token_signing_alg_values_supported", List.of("RS256"));
        m.put("scopes_supported", List.of("openid", "email", "name"));
        m.put("token_endpoint_auth_methods_supported", List.of("client_secret_post"));
        m.put("claims_supported", List.of("aud", "email", "email_verified", "exp", "iat", "is_private_email", "iss", "nonce",
                "nonce_supported", "real_user_status", "sub", "transfer_sub"));
        return m;
    }

    /** Apple answers name/email scopes only with form_post; the user JSON comes on the first sign-in only. */
    private void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = Browser.query(x.getRequestURI());
        if (!"form_post".equals(q.get("response_mode")) || !"code".equals(q.get("response_type")) || !CLIENT_ID.equals(q.get("client_id"))
                || !"name email".equals(q.get("scope"))) {
            send(x, 400, "text/html", "<html><body>invalid_request</body></html>");
            return;
        }
        Person p = next;
        String code = "c" + RelyingParty.random();
        codes.put(code, new Grant(p, q.getOrDefault("nonce", ""), q.get("redirect_uri"), q.getOrDefault("code_challenge", "")));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("state", q.get("state"));
        fields.put("code", code);
        if (seen.add(p.subject())) {
            String[] name = p.name().split(" ", 2);
            fields.put("user", JSON.writeValueAsString(Map.of("name", Map.of("firstName", name[0], "lastName", name.length > 1 ? name[1] : ""),
                    "email", p.email())));
        }
        StringBuilder html = new StringBuilder("<html><head><title>Sign in with Apple</title></head><body onload=\"document.forms[0].submit()\">")
                .append("<form method=\"post\" action=\"").append(esc(q.get("redirect_uri"))).append("\">");
        fields.forEach((k, v) -> html.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"").append(esc(v)).append("\"/>"));
        send(x, 200, "text/html; charset=utf-8", html.append("</form></body></html>").toString());
    }

    private void token(HttpExchange x) throws IOException {
        Fault fault = tokenFault.getAndSet(null);
        if (fault == Fault.SERVER_ERROR) {
            send(x, 503, "application/json", "{\"error\":\"temporarily_unavailable\"}");
            return;
        }
        if (fault == Fault.TIMEOUT) {
            try {
                closed.await(3, TimeUnit.SECONDS); // longer than the connection's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // Signet gave up long ago: answer nothing, and above all take no code and no scripted ID token
            // change that a later sign-in is waiting for
            send(x, 504, "application/json", "{\"error\":\"timeout\"}");
            return;
        }
        Map<String, String> form = Browser.query(URI.create("?" + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        String refused = clientSecretProblem(form);
        if (refused != null) {
            refusals.add(refused);
            send(x, 400, "application/json", "{\"error\":\"invalid_client\"}");
            return;
        }
        Grant g = codes.remove(form.getOrDefault("code", ""));
        if (g == null || !g.redirectUri().equals(form.get("redirect_uri"))
                || !RelyingParty.s256(form.getOrDefault("code_verifier", "")).equals(g.challenge())) {
            send(x, 400, "application/json", "{\"error\":\"invalid_grant\",\"error_description\":\"The code has expired or has been revoked.\"}");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", "a" + RelyingParty.random());
        body.put("token_type", "Bearer");
        body.put("expires_in", 3600);
        body.put("refresh_token", "r" + RelyingParty.random());
        if (!withoutIdToken.getAndSet(false)) {
            body.put("id_token", idToken(g));
        }
        send(x, 200, "application/json", JSON.writeValueAsString(body));
    }

    /** Apple's client secret rules; null when the secret is good. */
    private String clientSecretProblem(Map<String, String> form) {
        if (!CLIENT_ID.equals(form.get("client_id"))) {
            return "client_id";
        }
        try {
            SignedJWT jwt = SignedJWT.parse(form.getOrDefault("client_secret", ""));
            secrets.add(jwt);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm()) || !KEY_ID.equals(jwt.getHeader().getKeyID())) {
                return "header " + jwt.getHeader();
            }
            if (!jwt.verify(new ECDSAVerifier(teamKey.toECPublicKey()))) {
                return "signature";
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Instant now = Instant.now();
            if (!TEAM_ID.equals(c.getIssuer()) || !CLIENT_ID.equals(c.getSubject()) || !List.of(base()).equals(c.getAudience())) {
                return "claims " + c;
            }
            if (c.getIssueTime() == null || c.getExpirationTime() == null || c.getIssueTime().toInstant().isAfter(now.plusSeconds(60))
                    || !c.getExpirationTime().toInstant().isAfter(now)
                    || Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant()).compareTo(Duration.ofSeconds(15777000)) > 0) {
                return "times " + c;
            }
            return null;
        } catch (ParseException | JOSEException e) {
            return "unreadable: " + e.getMessage();
        }
    }

    private String idToken(Grant g) {
        Instant now = Instant.now();
        Person p = g.person();
        JWTClaimsSet.Builder c = new JWTClaimsSet.Builder()
                .issuer(base())
                .audience(CLIENT_ID)
                .expirationTime(Date.from(now.plusSeconds(600)))
                .issueTime(Date.from(now))
                .subject(p.subject())
                .claim("nonce", g.nonce())
                .claim("c_hash", "x" + RelyingParty.random().substring(0, 10))
                .claim("email", p.email())
                .claim("email_verified", String.valueOf(p.emailVerified()))
                .claim("is_private_email", String.valueOf(p.email().endsWith("@privaterelay.appleid.com")))
                .claim("auth_time", now.getEpochSecond())
                .claim("nonce_supported", true)
                .claim("real_user_status", 2);
        p.extra().forEach(c::claim);
        java.util.function.UnaryOperator<JWTClaimsSet.Builder> change = tamper.getAndSet(null);
        if (change != null) {
            c = change.apply(c);
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signingKey.getKeyID()).build(), c.build());
            jwt.sign(new RSASSASigner(foreignKey.getAndSet(false) ? new RSAKeyGenerator(2048).generate() : signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
