package dev.signet.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import dev.signet.UpstreamException;
import dev.signet.app.Signet;
import dev.signet.config.ConnectionSettings;
import dev.signet.config.SignetConfig;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Tenants;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Jazzer over everything Signet reads from an upstream: the tolerant reader {@link UpstreamFields}
 * (plain names and JSON pointers), each connector kind's answers read through {@link UpstreamHttp}
 * (token responses, GitHub's {@code /user}, {@code /user/emails}, orgs and teams, oauth2 userinfo by
 * JSON pointer, OIDC discovery documents, ID token claims with the Entra and Google rules and the
 * claim mapping), and the callback check (state cookie, RFC 9207 {@code iss}). Property: every
 * input gives an identity with a subject, or an {@link UpstreamException} (which the web layer maps
 * to a reason code); nothing else escapes.
 *
 * <p>Inputs are UTF-8 text in parts separated by a line {@code ===} (see {@link #parts}), so the seeds
 * under {@code UpstreamFuzzTestInputs/} are readable. The upstream is a {@link ScriptedHttpClient}
 * (no network); only the JWKS that Nimbus fetches comes from a small local HTTP server.
 */
class UpstreamFuzzTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SEPARATOR = "\n===\n";
    private static final String CLIENT_ID = "signet";
    private static final String ENTRA_TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private static HttpServer jwksServer;
    private static ECKey key;
    private static ScriptedHttpClient client;
    private static UpstreamHttp http;
    private static Map<String, Connector> connectors;
    private static Map<String, ConnectionSettings> settings;
    private static Tenant tenant;

    @BeforeAll
    static void start() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID("fuzz").generate();
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwksServer.createContext("/jwks", x -> {
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, jwks.length);
            x.getResponseBody().write(jwks);
            x.close();
        });
        jwksServer.start();
        String jwksUri = "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks";
        SignetConfig config = Signet.configLoader(Map.of("JWKS", jwksUri), TestKinds.REGISTRY).parse(CONFIG, "upstream-fuzz.yaml");
        tenant = Tenants.of(config).onEveryDomain().getFirst();
        client = new ScriptedHttpClient();
        http = new UpstreamHttp(client, Clock.systemUTC());
        connectors = new LinkedHashMap<>();
        settings = new LinkedHashMap<>();
        for (ConnectionSettings c : tenant.settings().connections()) {
            settings.put(c.id(), c);
            connectors.put(c.id(), TestKinds.REGISTRY.open(c, new ConnectorKinds.Deps(tenant.urls(), http)));
        }
        // discovery of the presets is scripted (not fuzzed), with the local JWKS
        client.script(r -> new ScriptedHttpClient.Answer(200, discovery(r.uri(), jwksUri)));
        for (String id : List.of("ms", "goog")) {
            connectors.get(id).issuer();
        }
    }

    @AfterAll
    static void stop() {
        if (jwksServer != null) {
            jwksServer.stop(0);
        }
    }

    /** Part 0: a JSON document; parts 1..: field names or JSON pointers read from it every way there is. */
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"\\x0a===\\x0a", "/", "~0", "~1", "sub", "email_verified", "true", "null", "[]", "{}"})
    void fieldsWhenFuzzedThenValueOrUpstreamException(byte[] input) {
        List<String> parts = parts(input);
        JsonNode node;
        try {
            node = JSON.readTree(parts.getFirst());
        } catch (JacksonException notJson) {
            return; // the JSON parser is Jackson's; UpstreamHttp turns this into upstream.bad_response (fuzzed below)
        }
        if (node == null) {
            return;
        }
        UpstreamFields f = UpstreamFields.of("fuzz", "fuzzed payload", node);
        List<String> fields = parts.size() > 1 ? parts.subList(1, parts.size()) : List.of("sub");
        for (String field : fields) {
            typed(() -> assertThat(f.id(field)).isNotBlank());
            typed(() -> assertThat(f.string(field)).isNotBlank());
            typed(() -> f.optString(field).ifPresent(s -> assertThat(s).isNotBlank()));
            typed(() -> f.flag(field));
            typed(() -> f.node(field));
        }
        String at = fields.getFirst();
        ClaimMapping mapping = new ClaimMapping(at, Optional.of(fields.getLast()), Optional.of(at), Optional.of(at), Optional.empty());
        typed(() -> assertThat(mapping.identity(f).subject()).isNotBlank());
    }

    /**
     * Part 0: a connection ({@code gh}, {@code gh-acme}, {@code plain}, {@code oidc}, {@code ms},
     * {@code goog}, {@code disc}); the next parts answer the connector's upstream calls in order,
     * each optionally starting with {@code HTTP nnn} and a newline for a status other than 200. For
     * the OIDC kinds, {@code ID_TOKEN} in an answer becomes an ES256 ID token signed by the upstream's
     * key, with the connection's valid claims overlaid by the last part (a JSON object). For
     * {@code disc} the first answer is its discovery document, and its code exchange is refused (its
     * fuzzed jwks_uri would be on the network).
     */
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"\\x0a===\\x0a", "HTTP 400\\x0a", "ID_TOKEN", "access_token", "id_token", "id", "email", "primary", "verified",
        "login", "slug", "organization", "tid", "hd", "sub", "issuer", "jwks_uri", "authorization_endpoint", "token_endpoint", "error", "true",
        "null"})
    void connectorWhenUpstreamAnswersFuzzedThenIdentityOrUpstreamException(byte[] input) {
        signIn(input);
    }

    /** The seeds that describe a good answer do sign in, so the fuzzer starts from the far end of each journey. */
    @Test
    void seedsWhenGoodThenIdentity() throws IOException {
        for (String seed : List.of("github", "github-team", "oauth2", "oidc", "entra")) {
            String path = "/dev/signet/connector/UpstreamFuzzTestInputs/connectorWhenUpstreamAnswersFuzzedThenIdentityOrUpstreamException/" + seed;
            try (var in = UpstreamFuzzTest.class.getResourceAsStream(path)) {
                assertThat(signIn(in.readAllBytes())).as(seed).hasValueSatisfying(who -> assertThat(who.subject()).isNotBlank());
            }
        }
    }

    /** The identity, or empty when the connector threw an {@link UpstreamException} (anything else fails). */
    private static Optional<UpstreamIdentity> signIn(byte[] input) {
        List<String> parts = parts(input);
        String id = parts.getFirst().strip();
        if (!settings.containsKey(id)) {
            return Optional.empty();
        }
        List<String> answers = new ArrayList<>(parts.subList(1, parts.size()));
        String overlay = id.equals("oidc") || id.equals("ms") || id.equals("goog") ? (answers.isEmpty() ? "{}" : answers.removeLast()) : "{}";
        String nonce = "n-0S6_WzA2Mj";
        List<String> queue = new ArrayList<>(answers);
        client.script(r -> {
            if (queue.isEmpty()) {
                return new ScriptedHttpClient.Answer(404, "{\"error\":\"not_found\"}");
            }
            String a = queue.removeFirst();
            int status = 200;
            if (a.startsWith("HTTP ") && a.length() >= 8 && a.substring(5, 8).chars().allMatch(Character::isDigit)) {
                status = Integer.parseInt(a.substring(5, 8));
                a = a.substring(8).stripLeading();
            }
            if (status >= 500 || status < 100) {
                status = 400; // 5xx is retried with backoff: covered by UpstreamFaultsTest, too slow to fuzz here
            }
            return new ScriptedHttpClient.Answer(status, a.contains("ID_TOKEN") ? a.replace("ID_TOKEN", idToken(id, nonce, overlay)) : a);
        });
        Connector c = id.equals("disc") ? TestKinds.REGISTRY.open(settings.get(id), new ConnectorKinds.Deps(tenant.urls(), http)) : connectors.get(id);
        URI callback = URI.create("http://localhost:8080/callback/" + id);
        AtomicReference<UpstreamIdentity> out = new AtomicReference<>();
        // Jazzer's SSRF detector flags every connection in fuzzing mode; Nimbus fetches the JWKS from the local server.
        int jwksPort = jwksServer.getAddress().getPort();
        SilentCloseable jwks = BugDetectors.allowNetworkConnections((host, p) -> p == jwksPort
                && (host.equals("127.0.0.1") || host.equals("localhost")));
        try {
            typed(() -> {
                URI login = c.loginUrl(new LoginRequest("state-1", nonce, "challenge", callback, Optional.empty()));
                assertThat(login.isAbsolute()).isTrue();
                c.issuer();
                if (id.equals("disc")) {
                    // its jwks_uri is fuzzed (fetching it would go to the network): the exchange at its fuzzed
                    // token endpoint is answered with a refusal, so no ID token is ever validated
                    client.script(r -> new ScriptedHttpClient.Answer(400, "{\"error\":\"invalid_grant\"}"));
                }
                UpstreamIdentity who = c.finish(new VerifiedCallback("code-1", nonce, "verifier", callback, Instant.now().plusSeconds(10), Map.of()));
                assertThat(who.subject()).isNotBlank();
                out.set(who);
            });
        } finally {
            jwks.close();
        }
        return Optional.ofNullable(out.get());
    }

    /**
     * The checks every callback passes before a connector sees it (state against the cookie,
     * RFC 9207 {@code iss} including Entra's tenant template, {@code error}, {@code code}). Part 0:
     * the callback's parameters, one {@code name=value} a line; part 1, if present: the state cookie.
     */
    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"\\x0a===\\x0a", "state=", "iss=", "code=", "error=", "https://login.microsoftonline.com/", "/v2.0", "https://github.com/login/oauth"})
    void callbackWhenFuzzedThenVerifiedOrUpstreamException(byte[] input) {
        List<String> parts = parts(input);
        Map<String, String> params = new LinkedHashMap<>();
        for (String line : parts.getFirst().split("\n")) {
            int eq = line.indexOf('=');
            params.putIfAbsent(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
        }
        Optional<String> cookie = parts.size() > 1 ? Optional.of(parts.get(1)) : Optional.empty();
        for (String id : List.of("gh", "oidc", "ms")) {
            typed(() -> {
                VerifiedCallback v = CallbackCheck.verify(connectors.get(id), params, false, cookie, "nonce", "verifier",
                        URI.create("http://localhost:8080/callback/" + id), Instant.now().plusSeconds(10));
                assertThat(v.code()).isNotEmpty();
                assertThat(cookie).contains(params.get("state"));
            });
        }
    }

    // ---- helpers

    /** Runs {@code r}; an {@link UpstreamException} is an allowed outcome, anything else fails the target. */
    private static void typed(Runnable r) {
        try {
            r.run();
        } catch (UpstreamException expected) {
            assertThat(expected.reason()).isNotNull();
            assertThat(expected.connection()).isNotBlank();
        }
    }

    static List<String> parts(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(SEPARATOR); at >= 0; at = s.indexOf(SEPARATOR, from)) {
            out.add(s.substring(from, at));
            from = at + SEPARATOR.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** An ES256 ID token with the claims that pass validation for connection {@code id}, overlaid by {@code overlay}. */
    private static String idToken(String id, String nonce, String overlay) {
        ObjectNode claims = JSON.createObjectNode();
        long now = Instant.now().getEpochSecond();
        claims.put("iss", switch (id) {
            case "ms" -> "https://entra.fuzz/" + ENTRA_TID + "/v2.0";
            case "goog" -> "https://accounts.google.com";
            default -> "http://oidc.fuzz";
        });
        claims.put("aud", CLIENT_ID).put("sub", "user-1").put("iat", now).put("exp", now + 300).put("nonce", nonce);
        claims.put("email", "ada@example.com").put("email_verified", true).put("tid", ENTRA_TID).put("hd", "example.com");
        try {
            if (JSON.readTree(overlay) instanceof ObjectNode o) {
                claims.setAll(o);
            }
        } catch (JacksonException notJson) {
            // keep the valid claims
        }
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    new Payload(JSON.writeValueAsString(claims)));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The discovery document of the presets, as the real upstreams publish it (Entra with its tenant template). */
    private static String discovery(URI uri, String jwksUri) {
        String issuer = uri.getHost().equals("accounts.google.com") ? "https://accounts.google.com"
                : "https://entra.fuzz/" + IssuerExpectation.TENANT + "/v2.0";
        String base = "https://" + uri.getHost();
        return """
                {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token","jwks_uri":"%s"}
                """.formatted(issuer, base, base, jwksUri);
    }

    private static final String CONFIG = """
            tenants:
              - name: default
                connections:
                  - id: gh
                    kind: github
                    client_id: signet
                    client_secret: upstream-secret
                    unsafe_endpoint_base: https://github.fuzz
                  - id: gh-acme
                    kind: github
                    client_id: signet
                    client_secret: upstream-secret
                    unsafe_endpoint_base: https://github.fuzz
                    allowed_organizations: [acme]
                    allowed_teams: [umbrella/platform]
                  - id: plain
                    kind: oauth2
                    client_id: signet
                    client_secret: upstream-secret
                    authorization_endpoint: https://oauth2.fuzz/authorize
                    token_endpoint: https://oauth2.fuzz/token
                    userinfo_endpoint: https://oauth2.fuzz/userinfo
                    iss_parameter_supported: false
                    userinfo_mapping: {subject: /data/id, email: /data/attributes/email, email_verified: /data/attributes/verified, name: name}
                  - id: oidc
                    kind: oidc
                    issuer: http://oidc.fuzz
                    discovery: manual
                    authorization_endpoint: http://oidc.fuzz/authorize
                    token_endpoint: http://oidc.fuzz/token
                    jwks_uri: ${JWKS}
                    iss_parameter_supported: false
                    client_id: signet
                    client_secret: upstream-secret
                    claims: {subject: /sub, email: email, email_verified: email_verified}
                  - id: disc
                    kind: oidc
                    issuer: https://disc.fuzz
                    discovery: auto
                    client_id: signet
                    client_secret: upstream-secret
                  - id: ms
                    kind: entra
                    client_id: signet
                    client_secret: upstream-secret
                    tenant: organizations
                    allowed_tenants: [72f988bf-86f1-41af-91ab-2d7cd011db47]
                    unsafe_endpoint_base: https://entra.fuzz
                  - id: goog
                    kind: google
                    client_id: signet
                    client_secret: upstream-secret
                    hosted_domains: [example.com]
            """;
}
