package dev.signet.harness;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A relying party as an application would be: builds authorization requests with PKCE, calls the
 * token and userinfo endpoints over HTTP, and validates ID tokens with Nimbus against Signet's JWKS.
 */
public final class RelyingParty {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Authorization(URI url, String state, String nonce, String verifier) {}

    private final URI issuer;
    private final Browser http = new Browser();
    public final String clientId;
    private final Optional<String> secret;
    public final URI redirectUri;

    public RelyingParty(SignetHarness signet, String clientId, Optional<String> secret, URI redirectUri) {
        this(signet.issuer(), clientId, secret, redirectUri);
    }

    /** An application of the tenant whose issuer (on the domain the app uses) is {@code issuer}. */
    public RelyingParty(URI issuer, String clientId, Optional<String> secret, URI redirectUri) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.secret = secret;
        this.redirectUri = redirectUri;
    }

    public Authorization authorize(String scope, Map<String, String> extra) {
        String state = random();
        String nonce = random();
        String verifier = random() + random();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        q.put("redirect_uri", redirectUri.toString());
        q.put("scope", scope);
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", s256(verifier));
        q.put("code_challenge_method", "S256");
        q.putAll(extra);
        q.values().removeIf(v -> v == null);
        return new Authorization(URI.create(url("/authorize") + "?" + Browser.form(q)), state, nonce, verifier);
    }

    public HttpResponse<String> token(Map<String, String> form) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url("/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Browser.form(withClientId(form))));
        secret.ifPresent(s -> b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (enc(clientId) + ":" + enc(s)).getBytes(StandardCharsets.UTF_8))));
        return http.send(b);
    }

    private Map<String, String> withClientId(Map<String, String> form) {
        Map<String, String> f = new LinkedHashMap<>(form);
        if (secret.isEmpty()) {
            f.putIfAbsent("client_id", clientId);
        }
        return f;
    }

    public HttpResponse<String> exchange(String code, String verifier) {
        return token(Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", redirectUri.toString(),
                "code_verifier", verifier));
    }

    public HttpResponse<String> refresh(String refreshToken) {
        return token(Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
    }

    public HttpResponse<String> userinfo(String accessToken) {
        return http.send(HttpRequest.newBuilder(url("/userinfo")).header("Authorization", "Bearer " + accessToken).GET());
    }

    /** OIDC Core §3.1.3.7, done by Nimbus against Signet's published JWKS. */
    public JWTClaimsSet validateIdToken(String idToken, String nonce, JWSAlgorithm alg) throws Exception {
        IDTokenValidator v = new IDTokenValidator(new Issuer(issuer), new ClientID(clientId), alg, url("/jwks").toURL());
        return v.validate(JWTParser.parse(idToken), new Nonce(nonce)).toJWTClaimsSet();
    }

    /** RFC 9068 §4: a resource server's check of an access token, against Signet's published JWKS. */
    public JWTClaimsSet verifyAccessToken(String accessToken) throws Exception {
        com.nimbusds.jwt.proc.DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext> p = new com.nimbusds.jwt.proc.DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier<>(new com.nimbusds.jose.JOSEObjectType("at+jwt")));
        p.setJWSKeySelector(new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(java.util.Set.of(JWSAlgorithm.ES256, JWSAlgorithm.RS256),
                new com.nimbusds.jose.jwk.source.ImmutableJWKSet<>(com.nimbusds.jose.jwk.JWKSet.load(url("/jwks").toURL()))));
        return p.process(accessToken, null);
    }

    private URI url(String path) {
        return URI.create(issuer + path);
    }

    public static JsonNode json(HttpResponse<String> r) {
        return JSON.readTree(r.body());
    }

    public static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
