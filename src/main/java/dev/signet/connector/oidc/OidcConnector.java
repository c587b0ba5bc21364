package dev.signet.connector.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.Connector;
import dev.signet.connector.IssuerExpectation;
import dev.signet.connector.LoginRequest;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.UpstreamIdentity;
import dev.signet.connector.VerifiedCallback;
import dev.signet.tenant.Urls;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;

/**
 * A generic OpenID Connect upstream (OIDC Core §3.1, authorization code flow with PKCE).
 *
 * <p>Discovery {@code auto}: the metadata is fetched on first use (not at start-up), its
 * {@code issuer} must equal the configured one (OIDC Discovery §4.3), and the last good document is
 * kept. Discovery {@code manual}: no discovery request is ever made. The ID token is validated with
 * Nimbus: signature against the upstream JWKS (refetched once on an unknown {@code kid}), iss, aud,
 * exp, iat and nonce (OIDC Core §3.1.3.7).
 */
public final class OidcConnector implements Connector {

    private static final Set<JWSAlgorithm> ALGS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.EdDSA);

    private final ConnectionSettings connection;
    private final OidcSettings settings;
    private final UpstreamHttp http;
    private final AtomicReference<Ready> ready = new AtomicReference<>();

    /** Metadata plus the validator built from it: replaced together, read without locks. */
    private record Ready(UpstreamMetadata metadata, IDTokenValidator validator) {}

    OidcConnector(ConnectionSettings connection, OidcSettings settings, UpstreamHttp http) {
        this.connection = connection;
        this.settings = settings;
        this.http = http;
        settings.endpoints().ifPresent(e -> ready.set(prepare(new UpstreamMetadata(settings.issuer().toString(),
                e.authorization(), e.token(), e.jwks(), e.issParameterSupported()))));
    }

    public static Connector open(ConnectionSettings connection, UpstreamHttp http) {
        return new OidcConnector(connection, (OidcSettings) connection.options(), http);
    }

    @Override
    public String id() {
        return connection.id();
    }

    @Override
    public URI loginUrl(LoginRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", r.callbackUri().toString());
        q.put("scope", String.join(" ", settings.scopes()));
        q.put("state", r.state());
        q.put("nonce", r.nonce());
        q.put("code_challenge", r.codeChallenge());
        q.put("code_challenge_method", "S256");
        r.loginHint().ifPresent(h -> q.put("login_hint", h));
        return Urls.withQuery(ready().metadata().authorization(), q);
    }

    @Override
    public IssuerExpectation issuer() {
        return new IssuerExpectation(settings.issuer().toString(), ready().metadata().issParameterSupported());
    }

    @Override
    public UpstreamIdentity finish(VerifiedCallback callback) {
        Ready r = ready();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", callback.code());
        form.put("redirect_uri", callback.callbackUri().toString());
        form.put("code_verifier", callback.codeVerifier());
        if (settings.secretInForm()) {
            form.put("client_id", settings.clientId());
            form.put("client_secret", settings.clientSecret().value());
        }
        Optional<String[]> basic = settings.secretInForm() ? Optional.empty()
                : Optional.of(new String[] {settings.clientId(), settings.clientSecret().value()});
        JsonNode body = http.postForm(id(), "token endpoint", r.metadata().token(), form, basic, settings.timeout(), callback.deadline());
        String idToken = UpstreamMetadata.optText(body, "id_token").orElseThrow(() -> UpstreamException.of(
                Reason.UPSTREAM_BAD_RESPONSE, id(), "The provider's answer is incomplete.",
                "token response field 'id_token' is missing or not a string"));
        IDTokenClaimsSet claims = validate(r.validator(), idToken, callback.nonce());
        return new UpstreamIdentity(claims.getSubject().getValue(), Optional.ofNullable(claims.getStringClaim("email")),
                Boolean.TRUE.equals(bool(claims, "email_verified")), Optional.ofNullable(claims.getStringClaim("name")),
                Optional.ofNullable(claims.getStringClaim("picture")));
    }

    private IDTokenClaimsSet validate(IDTokenValidator validator, String idToken, String nonce) {
        try {
            return validator.validate(JWTParser.parse(idToken), new Nonce(nonce));
        } catch (ParseException e) {
            throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, id(), "The provider sent an invalid ID token.",
                    "id_token is not a JWT: " + e.getMessage());
        } catch (BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, id(), "The provider sent an ID token Signet cannot accept.",
                    "id_token rejected: " + e.getMessage());
        }
    }

    /** Tolerant: a boolean, or the strings "true"/"false" that some upstreams send. */
    private static Boolean bool(IDTokenClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return switch (v) {
            case Boolean b -> b;
            case String s -> Boolean.parseBoolean(s);
            case null, default -> Boolean.FALSE;
        };
    }

    private Ready ready() {
        Ready r = ready.get();
        if (r != null) {
            return r;
        }
        JsonNode doc = http.getJson(id(), "discovery", Urls.discoveryOf(settings.issuer()), settings.timeout());
        UpstreamMetadata m = UpstreamMetadata.read(id(), doc);
        if (!m.issuer().equals(settings.issuer().toString())) {
            throw UpstreamException.of(Reason.UPSTREAM_ISSUER_MISMATCH, id(), "The provider's configuration names a different issuer.",
                    "discovery issuer mismatch: expected '" + settings.issuer() + "', received '" + m.issuer() + "'");
        }
        Ready fresh = prepare(m);
        ready.compareAndSet(null, fresh);
        return ready.get();
    }

    private Ready prepare(UpstreamMetadata m) {
        int ms = (int) settings.timeout().toMillis();
        JWKSource<SecurityContext> keys;
        try {
            keys = JWKSourceBuilder.<SecurityContext>create(m.jwks().toURL(), new DefaultResourceRetriever(ms, ms, 512 * 1024)).build();
        } catch (MalformedURLException e) {
            throw UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, id(), "The provider's configuration is invalid.",
                    "jwks_uri is not a URL");
        }
        IDTokenValidator v = new IDTokenValidator(new Issuer(settings.issuer().toString()), new ClientID(settings.clientId()),
                new JWSVerificationKeySelector<>(ALGS, keys), null);
        return new Ready(m, v);
    }
}
