package dev.signet.connector.apple;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.Connector;
import dev.signet.connector.FormPostCallbacks;
import dev.signet.connector.IssuerExpectation;
import dev.signet.connector.LoginRequest;
import dev.signet.connector.Preflight;
import dev.signet.connector.Preflighted;
import dev.signet.connector.ProbeHints;
import dev.signet.connector.UpstreamFields;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.UpstreamIdentity;
import dev.signet.connector.VerifiedCallback;
import dev.signet.tenant.Urls;
import java.net.URI;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sign in with Apple: the authorization code flow with PKCE and {@code response_mode=form_post}
 * (Apple requires it when the scope asks for name or email), the code exchanged with a signed client
 * secret ({@link AppleClientSecret}), the ID token validated with Nimbus against Apple's JWKS (RS256;
 * iss, aud = the Services ID, exp, iat, nonce; OIDC Core §3.1.3.7). Claims: {@code sub};
 * {@code email} with {@code email_verified} (Apple sends the string {@code "true"} or a boolean); a
 * private-relay address ({@code is_private_email}, {@code @privaterelay.appleid.com}) is a verified
 * email like any other and links to an account only by the usual rule (verified, same address).
 * The name is never in the ID token: Apple posts it once, in the {@code user} form field of the
 * user's first sign-in ({@code {"name":{"firstName","lastName"},"email"}}); it is used when present
 * and ignored when unreadable (it is unsigned, and only ever the signing-in user's own display name).
 */
public final class AppleConnector implements Connector, Preflighted, ProbeHints, FormPostCallbacks {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConnectionSettings connection;
    private final AppleSettings settings;
    private final UpstreamHttp http;
    private final AppleClientSecret secret;
    private final IDTokenValidator validator;

    AppleConnector(ConnectionSettings connection, AppleSettings settings, UpstreamHttp http) {
        this.connection = connection;
        this.settings = settings;
        this.http = http;
        this.secret = new AppleClientSecret(settings, http.clock());
        JWKSource<SecurityContext> keys = http.jwks(id(), settings.jwks(), settings.timeout()); // built from a validated issuer
        this.validator = new IDTokenValidator(new Issuer(settings.issuer().toString()), new ClientID(settings.clientId()),
                new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, keys), null);
    }

    public static Connector open(ConnectionSettings connection, UpstreamHttp http) {
        return new AppleConnector(connection, (AppleSettings) connection.options(), http);
    }

    @Override
    public String id() {
        return connection.id();
    }

    @Override
    public URI loginUrl(LoginRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("response_mode", "form_post");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", r.callbackUri().toString());
        q.put("scope", String.join(" ", settings.scopes()));
        q.put("state", r.state());
        q.put("nonce", r.nonce());
        q.put("code_challenge", r.codeChallenge());
        q.put("code_challenge_method", "S256");
        return Urls.withQuery(settings.authorization(), q);
    }

    /** Apple does not send RFC 9207 {@code iss} (its metadata does not advertise it) unless configured to be required. */
    @Override
    public IssuerExpectation issuer() {
        return new IssuerExpectation(settings.issuer().toString(), settings.requireIss());
    }

    @Override
    public boolean formPost() {
        return true;
    }

    @Override
    public UpstreamIdentity finish(VerifiedCallback callback) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", callback.code());
        form.put("redirect_uri", callback.callbackUri().toString());
        form.put("code_verifier", callback.codeVerifier());
        form.put("client_id", settings.clientId());
        form.put("client_secret", secret.value()); // Apple takes client_secret_post only
        JsonNode body = http.postForm(id(), "token endpoint", settings.token(), form, Optional.empty(), settings.timeout(),
                callback.deadline());
        String idToken = UpstreamFields.of(id(), "token response", body).string("id_token");
        UpstreamFields claims = http.fields(id(), "ID token", validate(idToken, callback.nonce()));
        String subject = claims.id("sub");
        Optional<String> email = claims.optString("email");
        boolean verified = email.isPresent() && claims.flag("email_verified");
        return new UpstreamIdentity(subject, email, verified, callback.field("user").flatMap(this::name), Optional.empty());
    }

    private JsonNode validate(String idToken, String nonce) {
        try {
            return JSON.valueToTree(validator.validate(JWTParser.parse(idToken), new Nonce(nonce)).toJSONObject());
        } catch (ParseException e) {
            throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, id(), "Apple sent an invalid ID token.",
                    "id_token is not a JWT: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, id(), "Apple sent an ID token Signet cannot accept.",
                    "id_token rejected: " + e.getMessage());
        } catch (KeySourceException e) {
            throw new UpstreamException(Reason.UPSTREAM_UNREACHABLE, id(), "Signet could not fetch Apple's signing keys.",
                    "jwks unavailable: " + e.getMessage(), e);
        } catch (JOSEException e) {
            throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, id(), "Apple sent an ID token Signet cannot accept.",
                    "id_token rejected: " + e.getMessage());
        }
    }

    /** "First Last" from the first sign-in's {@code user} JSON; empty when absent or unreadable. */
    private Optional<String> name(String userJson) {
        JsonNode user;
        try {
            user = JSON.readTree(userJson);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (user == null || !user.isObject()) {
            return Optional.empty();
        }
        UpstreamFields name = UpstreamFields.of(id(), "user", user.path("name"));
        String full = (name.optString("firstName").orElse("") + " " + name.optString("lastName").orElse("")).strip();
        return full.isEmpty() ? Optional.empty() : Optional.of(full);
    }

    /** Apple publishes OIDC metadata: its issuer, JWKS and token endpoint are checked there. */
    @Override
    public Preflight preflight() {
        return Preflight.discovery(new Preflight.Metadata(Urls.discoveryOf(settings.issuer()), settings.issuer().toString(),
                settings.requireIss()));
    }

    @Override
    public Optional<String> authorizationHost() {
        return Optional.of(settings.authorization().getHost());
    }
}
