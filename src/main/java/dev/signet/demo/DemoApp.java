package dev.signet.demo;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.signet.Ids;
import dev.signet.config.ConfigLoader;
import dev.signet.tenant.Urls;
import dev.signet.tenant.Urls.Path;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built-in demo application behind "Try a sign-in". It is a real relying party, black-box on
 * purpose: it talks to Signet only over HTTP (authorize with PKCE, token, JWKS, userinfo) and
 * validates the ID token with Nimbus, exactly as an external application would.
 */
public final class DemoApp {

    /** Cookie holding the demo's state, nonce and PKCE verifier between start and callback. */
    public static final String COOKIE = "signet_demo";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public record Start(URI authorizeUrl, String cookie) {}

    public record Result(Map<String, Object> idTokenClaims, String userinfo) {}

    private final Urls urls;
    private final HttpClient http;
    private final Ids ids;

    public DemoApp(Urls urls, HttpClient http, Ids ids) {
        this.urls = urls;
        this.http = http;
        this.ids = ids;
    }

    public Start start() {
        String state = ids.id();
        String nonce = ids.id();
        String verifier = ids.secret();
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", ConfigLoader.DEMO_CLIENT_ID);
        q.put("redirect_uri", urls.at(Path.DEMO_CALLBACK).toString());
        q.put("scope", "openid profile email");
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", Ids.hash(verifier));
        q.put("code_challenge_method", "S256");
        q.put("prompt", "login");
        return new Start(urls.at(Path.AUTHORIZE, q), state + "." + nonce + "." + verifier);
    }

    /** Completes the sign-in; throws {@link DemoException} with a readable reason on any failure. */
    public Result finish(Map<String, String> params, Optional<String> cookie) {
        if (params.containsKey("error")) {
            throw new DemoException("Signet answered error=" + params.get("error") + ": " + params.getOrDefault("error_description", ""));
        }
        String[] saved = cookie.map(c -> c.split("\\.", 3)).filter(a -> a.length == 3)
                .orElseThrow(() -> new DemoException("the demo's cookie is missing; start again"));
        if (!saved[0].equals(params.get("state"))) {
            throw new DemoException("state does not match");
        }
        if (!urls.issuer().toString().equals(params.get("iss"))) {
            throw new DemoException("iss does not match Signet's issuer (RFC 9207)");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", params.getOrDefault("code", ""));
        form.put("redirect_uri", urls.at(Path.DEMO_CALLBACK).toString());
        form.put("client_id", ConfigLoader.DEMO_CLIENT_ID);
        form.put("code_verifier", saved[2]);
        JsonNode tokens = send(HttpRequest.newBuilder(urls.at(Path.TOKEN))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Urls.form(form))));
        try {
            IDTokenValidator validator = new IDTokenValidator(new Issuer(urls.issuer()), new ClientID(ConfigLoader.DEMO_CLIENT_ID),
                    JWSAlgorithm.RS256, urls.at(Path.JWKS).toURL());
            var claims = validator.validate(JWTParser.parse(tokens.path("id_token").asString()), new Nonce(saved[1]));
            JsonNode userinfo = send(HttpRequest.newBuilder(urls.at(Path.USERINFO))
                    .header("Authorization", "Bearer " + tokens.path("access_token").asString()).GET());
            return new Result(new TreeMap<>(claims.toJWTClaimsSet().getClaims()), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(userinfo));
        } catch (DemoException e) {
            throw e;
        } catch (Exception e) {
            throw new DemoException("the ID token did not validate: " + e.getMessage());
        }
    }

    private JsonNode send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> res = http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(res.body());
            if (res.statusCode() != 200) {
                throw new DemoException(request.build().uri().getPath() + " answered " + res.statusCode() + ": " + body.path("error").asString());
            }
            return body;
        } catch (IOException e) {
            throw new DemoException("could not reach Signet at " + urls.issuer() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("interrupted");
        }
    }

    /** A demo failure, shown as is on the demo page (it is Signet's own demo, not a user-facing error path). */
    public static final class DemoException extends RuntimeException {
        public DemoException(String message) {
            super(message, null, false, false);
        }
    }
}
