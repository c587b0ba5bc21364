package dev.signet.probe;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.signet.Ids;
import dev.signet.Reason;
import dev.signet.SignetException;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One probe run against one target, as a browser and a relying party would do it (steps in
 * package-info). A fresh cookie jar per run; redirects are followed by hand so every Location can
 * be checked. Never logs or returns a secret: results carry statuses and hosts only.
 */
final class Journey {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROBE_EMAIL = "probe@signet.invalid";

    private final ProbeTarget target;
    private final String clientSecret;
    private final Ids ids;
    private final Clock clock;
    private final Duration timeout;
    private final HttpClient http;
    private String step = "discovery";

    Journey(ProbeTarget target, String clientSecret, Ids ids, Clock clock, Duration timeout) {
        this.target = target;
        this.clientSecret = clientSecret;
        this.ids = ids;
        this.clock = clock;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
    }

    ProbeResult run() {
        Instant start = clock.instant();
        long t0 = System.nanoTime();
        try (http) {
            String detail = walk();
            return new ProbeResult(target, true, step, "ok", detail, start, Duration.ofNanos(System.nanoTime() - t0));
        } catch (ProbeFailure f) {
            return new ProbeResult(target, false, f.step, f.reason.code(), f.getMessage(), start, Duration.ofNanos(System.nanoTime() - t0));
        }
    }

    private String walk() throws ProbeFailure {
        step = "discovery";
        HttpResponse<String> d = get(under(target.issuer(), "/.well-known/openid-configuration"));
        expect(d, 200);
        JsonNode meta = json(d);
        if (!target.issuer().toString().equals(meta.path("issuer").asString(""))) {
            throw fail(Reason.PROBE_BAD_RESPONSE, "discovery issuer is '" + meta.path("issuer").asString("") + "', expected "
                    + target.issuer());
        }
        URI authorizationEndpoint = uri(meta, "authorization_endpoint");

        step = "authorize";
        String state = ids.secret();
        String nonce = ids.secret();
        String verifier = ids.secret();
        URI redirect = ProbeClient.redirectUri(target.issuer());
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", ProbeClient.CLIENT_ID);
        q.put("redirect_uri", redirect.toString());
        q.put("scope", "openid");
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", Ids.hash(verifier)); // RFC 7636 S256: base64url(SHA-256(verifier))
        q.put("code_challenge_method", "S256");
        q.put("connection", target.connection());
        q.put("prompt", "login");
        URI signIn = location(get(withQuery(authorizationEndpoint, q)), target.issuer().getHost());
        if (!signIn.getPath().endsWith("/signin/" + target.connection())) {
            throw fail(Reason.PROBE_BAD_RESPONSE, "authorize redirected to " + signIn.getPath() + ", not to the connection's sign-in");
        }

        step = "upstream_metadata";
        String metadata = upstreamMetadata();

        step = "connection";
        URI upstream = location(get(signIn), target.upstreamHost().orElse(null));

        step = "upstream";
        HttpResponse<String> page = get(upstream);
        if (page.statusCode() >= 400) {
            throw fail(Reason.PROBE_UNEXPECTED_STATUS, "the upstream authorization URL on " + upstream.getHost() + " answered HTTP "
                    + page.statusCode());
        }
        if (!target.fullJourney()) {
            return "upstream " + upstream.getHost() + " answered " + page.statusCode() + (metadata.isEmpty() ? "" : "; " + metadata);
        }

        step = "callback";
        Map<String, String> uq = query(upstream);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("state", uq.getOrDefault("state", ""));
        form.put("nonce", uq.getOrDefault("nonce", ""));
        form.put("redirect_uri", uq.getOrDefault("redirect_uri", ""));
        form.put("name", "Signet probe");
        form.put("email", PROBE_EMAIL);
        URI callback = location(post(withQuery(upstream, Map.of()), form, null), target.issuer().getHost());
        HttpResponse<String> called = get(callback);
        URI next = location(called, null);

        step = "resume";
        // the callback answers the probe client's redirect itself (issue 16); a node of an earlier
        // version (during a rolling upgrade) goes through /authorize/resume first
        boolean viaResume = next.getHost().equals(target.issuer().getHost()) && next.getPath().endsWith("/authorize/resume");
        URI back = viaResume ? location(get(next), redirect.getHost()) : location(called, redirect.getHost());
        Map<String, String> bq = query(back);
        if (!state.equals(bq.get("state")) || !target.issuer().toString().equals(bq.get("iss")) || bq.get("code") == null) {
            throw fail(Reason.PROBE_BAD_RESPONSE, "the redirect back lacks code, or its state or iss is wrong"
                    + (bq.containsKey("error") ? " (error=" + bq.get("error") + ")" : ""));
        }

        step = "token";
        Map<String, String> tokenForm = new LinkedHashMap<>();
        tokenForm.put("grant_type", "authorization_code");
        tokenForm.put("code", bq.get("code"));
        tokenForm.put("redirect_uri", redirect.toString());
        tokenForm.put("code_verifier", verifier);
        String basic = "Basic " + Base64.getEncoder().encodeToString((encode(ProbeClient.CLIENT_ID) + ":" + encode(clientSecret))
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> tokenResponse = post(uri(meta, "token_endpoint"), tokenForm, basic);
        expect(tokenResponse, 200);
        String idToken = json(tokenResponse).path("id_token").asString("");
        if (idToken.isEmpty()) {
            throw fail(Reason.PROBE_BAD_RESPONSE, "the token response has no id_token");
        }

        step = "id_token";
        verify(idToken, uri(meta, "jwks_uri"), nonce);
        return "signed in through " + target.connection() + " and verified the ID token";
    }

    /**
     * Refetches the upstream's metadata and keys on every run (never the connector's cached copy),
     * failing with the reason a user's sign-in would get (e.g. {@code upstream.issuer_mismatch}).
     */
    private String upstreamMetadata() throws ProbeFailure {
        if (target.upstreamCheck().isEmpty()) {
            return "";
        }
        try {
            return target.upstreamCheck().get().call();
        } catch (SignetException e) {
            throw fail(e.reason(), e.detail());
        } catch (Exception e) {
            throw fail(Reason.PROBE_BAD_RESPONSE, "the upstream check failed: " + e.getClass().getSimpleName());
        }
    }

    /** OIDC Core §3.1.3.7: signature by a published key, iss, aud, nonce, exp. */
    private void verify(String idToken, URI jwksUri, String nonce) throws ProbeFailure {
        HttpResponse<String> jwks = get(jwksUri);
        expect(jwks, 200);
        JWTClaimsSet claims;
        try {
            DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
            p.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                    new ImmutableJWKSet<>(JWKSet.parse(jwks.body()))));
            p.setJWTClaimsSetVerifier((c, ctx) -> {});
            claims = p.process(idToken, null);
        } catch (Exception e) {
            throw fail(Reason.PROBE_ID_TOKEN_INVALID, "signature not verified with the published keys: " + e.getClass().getSimpleName());
        }
        Date exp = claims.getExpirationTime();
        if (!target.issuer().toString().equals(claims.getIssuer()) || !claims.getAudience().contains(ProbeClient.CLIENT_ID)
                || !nonce.equals(claims.getClaim("nonce")) || exp == null || !exp.toInstant().isAfter(clock.instant())) {
            throw fail(Reason.PROBE_ID_TOKEN_INVALID, "iss, aud, nonce or exp is wrong (iss " + claims.getIssuer() + ")");
        }
    }

    // ---- HTTP

    private HttpResponse<String> get(URI uri) throws ProbeFailure {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    private HttpResponse<String> post(URI uri, Map<String, String> form, String authorization) throws ProbeFailure {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return send(b);
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws ProbeFailure {
        HttpRequest req = b.timeout(timeout).header("User-Agent", "signet-probe").build();
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw fail(Reason.PROBE_UNREACHABLE, req.uri().getHost() + " did not answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(Reason.PROBE_UNREACHABLE, "interrupted");
        }
    }

    private void expect(HttpResponse<String> r, int status) throws ProbeFailure {
        if (r.statusCode() != status) {
            throw fail(Reason.PROBE_UNEXPECTED_STATUS, r.request().uri().getPath() + " answered HTTP " + r.statusCode() + ", expected "
                    + status);
        }
    }

    /** The Location of a redirect: absolute http(s), and on {@code host} when given (postmortem 002). */
    private URI location(HttpResponse<String> r, String host) throws ProbeFailure {
        if (r.statusCode() / 100 != 3) {
            throw fail(Reason.PROBE_UNEXPECTED_STATUS, r.request().uri().getPath() + " answered HTTP " + r.statusCode()
                    + ", expected a redirect");
        }
        String raw = r.headers().firstValue("Location").orElse("");
        URI u;
        try {
            u = new URI(raw);
        } catch (URISyntaxException e) {
            throw fail(Reason.PROBE_MALFORMED_URL, "redirect Location is not a URI");
        }
        if (!u.isAbsolute() || u.getHost() == null || !("https".equals(u.getScheme()) || "http".equals(u.getScheme()))) {
            throw fail(Reason.PROBE_MALFORMED_URL, "redirect Location is not an absolute http(s) URL");
        }
        if (host != null && !host.equalsIgnoreCase(u.getHost())) {
            throw fail(Reason.PROBE_WRONG_HOST, "redirect to host " + u.getHost() + ", expected " + host);
        }
        return u;
    }

    private JsonNode json(HttpResponse<String> r) throws ProbeFailure {
        try {
            JsonNode n = JSON.readTree(r.body());
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (RuntimeException e) {
            // fall through
        }
        throw fail(Reason.PROBE_BAD_RESPONSE, r.request().uri().getPath() + " did not answer a JSON object");
    }

    private URI uri(JsonNode meta, String field) throws ProbeFailure {
        try {
            URI u = new URI(meta.path(field).asString(""));
            if (u.isAbsolute() && u.getHost() != null) {
                return u;
            }
        } catch (URISyntaxException e) {
            // fall through
        }
        throw fail(Reason.PROBE_BAD_RESPONSE, "discovery has no usable " + field);
    }

    private ProbeFailure fail(Reason reason, String detail) {
        return new ProbeFailure(step, reason, detail);
    }

    // ---- URL helpers (typed parts only: no URL built by concatenation)

    static URI under(URI base, String path) {
        try {
            return new URI(base.getScheme(), null, base.getHost(), base.getPort(), base.getPath() + path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** {@code base} with exactly {@code query} (values must not contain '&', '=' or '+': ours are ids and URLs). */
    static URI withQuery(URI base, Map<String, String> query) {
        String q = query.isEmpty() ? null : query.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        try {
            return new URI(base.getScheme(), base.getRawAuthority(), base.getPath(), q, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Map<String, String> query(URI u) {
        Map<String, String> out = new LinkedHashMap<>();
        if (u.getRawQuery() != null) {
            for (String p : u.getRawQuery().split("&")) {
                int eq = p.indexOf('=');
                if (eq > 0) {
                    out.putIfAbsent(URLDecoder.decode(p.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(p.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static String form(Map<String, String> form) {
        return form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
