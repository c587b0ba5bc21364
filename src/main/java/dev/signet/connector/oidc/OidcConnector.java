package dev.signet.connector.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.ConfigHints;
import dev.signet.connector.Connector;
import dev.signet.connector.DiscoveryCache;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A generic OpenID Connect upstream (OIDC Core §3.1, authorization code flow with PKCE), and the
 * engine of the OIDC presets ({@code google}, {@code entra}, {@code okta}, {@code gitlab}), which
 * add {@link IdTokenRules}.
 *
 * <p>Discovery {@code auto}: the metadata is fetched on first use (not at start-up), its
 * {@code issuer} must equal the expected one (OIDC Discovery §4.3), and the good document is kept
 * (a later outage of the discovery endpoint does not matter). Discovery {@code manual}: no discovery
 * request is ever made. The ID token is validated with Nimbus: signature against the upstream JWKS,
 * iss, aud, exp, iat and nonce (OIDC Core §3.1.3.7). The JWKS is cached; a token signed with an
 * unknown {@code kid} makes Nimbus refetch it (rate-limited to once per 30 s), and the last good
 * set is kept for a day while the JWKS endpoint is down. A probe that refetches the metadata and
 * finds another issuer makes it forget the kept document ({@link DiscoveryCache}). Claims are then read through the
 * connection's {@link dev.signet.connector.ClaimMapping}.
 */
public final class OidcConnector implements Connector, Preflighted, ProbeHints, FormPostCallbacks, DiscoveryCache, ConfigHints {

    private static final Set<JWSAlgorithm> ALGS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384); // not EdDSA: Nimbus needs Google Tink for it, not shipped
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ISSUERS = 1000;

    private final ConnectionSettings connection;
    private final OidcSettings settings;
    private final UpstreamHttp http;
    private final IdTokenRules rules;
    private final AtomicReference<Ready> ready = new AtomicReference<>();
    /** The document forgotten last: its key source is kept when the new document names the same jwks_uri. */
    private final AtomicReference<Ready> forgotten = new AtomicReference<>();

    /** Metadata plus the key source built from it: replaced together, read without locks. */
    private record Ready(UpstreamMetadata metadata, JWKSource<SecurityContext> keys, Map<String, IDTokenValidator> validators) {}

    OidcConnector(ConnectionSettings connection, OidcSettings settings, UpstreamHttp http, IdTokenRules rules) {
        this.connection = connection;
        this.settings = settings;
        this.http = http;
        this.rules = rules;
        settings.endpoints().ifPresent(e -> ready.set(prepare(new UpstreamMetadata(settings.issuer().toString(),
                e.authorization(), e.token(), e.jwks(), e.issParameterSupported()))));
    }

    public static Connector open(ConnectionSettings connection, UpstreamHttp http) {
        return new OidcConnector(connection, (OidcSettings) connection.options(), http, IdTokenRules.PLAIN);
    }

    /** For presets: the generic connector with the preset's settings and rules. */
    public static Connector open(ConnectionSettings connection, OidcSettings settings, UpstreamHttp http, IdTokenRules rules) {
        return new OidcConnector(connection, settings, http, rules);
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
        q.putAll(settings.extraAuthorizeParams());
        return Urls.withQuery(ready().metadata().authorization(), q);
    }

    /** {@code response_mode: form_post} configured. */
    @Override
    public boolean formPost() {
        return OidcSettings.FORM_POST.equals(settings.extraAuthorizeParams().get(OidcSettings.RESPONSE_MODE));
    }

    /**
     * Only the {@code oidc} kind has an {@code issuer} key (a preset derives it); {@code
     * iss_parameter_supported: true} makes {@code iss} required even if the metadata stops
     * advertising it, and must go when the upstream stops sending it (RFC 9207 §2.4).
     */
    @Override
    public List<String> configLines(String field, Optional<String> now) {
        boolean plain = connection.kind().equals("oidc");
        return switch (field) {
            case ConfigHints.ISSUER, ConfigHints.CALLBACK_ISS -> plain && now.isPresent() && !now.get().equals(settings.issuer().toString())
                    ? List.of("issuer: " + now.get()) : List.of();
            case ConfigHints.ISS_PARAMETER -> now.equals(Optional.of("true")) && !settings.requireIss() && settings.endpoints().isEmpty()
                    ? List.of("iss_parameter_supported: true (require iss on every callback from now on)")
                    : !now.equals(Optional.of("true")) && settings.requireIss()
                            ? List.of("iss_parameter_supported: remove the line (the upstream no longer promises iss; callbacks without it are refused)")
                            : List.of();
            default -> List.of();
        };
    }

    @Override
    public IssuerExpectation issuer() {
        return new IssuerExpectation(rules.metadataIssuer(settings.issuer().toString()),
                settings.requireIss() || ready().metadata().issParameterSupported());
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
        String idToken = UpstreamFields.of(id(), "token response", body).string("id_token");
        UpstreamFields claims = http.fields(id(), "ID token", claims(validate(r, idToken, callback.nonce())));
        rules.check(claims);
        return settings.claims().identity(claims);
    }

    private IDTokenClaimsSet validate(Ready r, String idToken, String nonce) {
        try {
            JWT jwt = JWTParser.parse(idToken);
            String issuer = rules.tokenIssuer(settings.issuer().toString(),
                    UpstreamFields.of(id(), "ID token", claims(jwt.getJWTClaimsSet().toJSONObject())));
            if (r.validators().size() > MAX_ISSUERS) {
                r.validators().clear(); // many tenants of a multi-tenant upstream: rebuild lazily
            }
            IDTokenValidator v = r.validators().computeIfAbsent(issuer, i -> new IDTokenValidator(new Issuer(i),
                    new ClientID(settings.clientId()), new JWSVerificationKeySelector<>(ALGS, r.keys()), null));
            return v.validate(jwt, new Nonce(nonce));
        } catch (ParseException e) {
            throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, id(), "The provider sent an invalid ID token.",
                    "id_token is not a JWT: " + e.getMessage());
        } catch (BadJOSEException e) {
            throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, id(), "The provider sent an ID token Signet cannot accept.",
                    "id_token rejected: " + e.getMessage());
        } catch (KeySourceException e) {
            throw new UpstreamException(Reason.UPSTREAM_UNREACHABLE, id(), "Signet could not fetch the provider's signing keys.",
                    "jwks unavailable: " + e.getMessage(), e);
        } catch (JOSEException e) {
            throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, id(), "The provider sent an ID token Signet cannot accept.",
                    "id_token rejected: " + e.getMessage());
        }
    }

    private static JsonNode claims(IDTokenClaimsSet claims) {
        return claims(claims.toJSONObject());
    }

    private static JsonNode claims(Map<String, Object> json) {
        return JSON.valueToTree(json);
    }

    /** Discovery {@code auto}: the metadata and the issuer it must name; {@code manual}: the configured endpoints. */
    @Override
    public Preflight preflight() {
        return settings.endpoints().map(e -> Preflight.manual("discovery: manual, no discovery request is made",
                e.issParameterSupported(), Optional.of(e.jwks()), Optional.of(e.token()), List.of(), List.of()))
                .orElseGet(() -> Preflight.discovery(new Preflight.Metadata(Urls.discoveryOf(settings.issuer()),
                        rules.metadataIssuer(settings.issuer().toString()), settings.requireIss())));
    }

    /** The manual authorization endpoint's host or, with discovery, the issuer's (where the metadata normally points). */
    @Override
    public Optional<String> authorizationHost() {
        return Optional.of(settings.endpoints().map(OidcSettings.ManualEndpoints::authorization).orElse(settings.issuer()).getHost());
    }

    /**
     * Discovery {@code auto}: forgets the kept metadata (a probe saw the issuer change, issue 17);
     * the next sign-in refetches it and, while the issuer differs, fails at its start with
     * {@code upstream.issuer_mismatch}. Manual endpoints are configuration and stay. The key source
     * (its cache and last good set) is reused when the new document names the same {@code jwks_uri}
     * (the drift watcher also forgets a document whose endpoints changed; JWKS resilience, issue 15).
     */
    @Override
    public void forgetDiscovery() {
        if (settings.endpoints().isEmpty()) {
            Ready r = ready.getAndSet(null);
            if (r != null) {
                forgotten.set(r);
            }
        }
    }

    private Ready ready() {
        Ready r = ready.get();
        if (r != null) {
            return r;
        }
        JsonNode doc = http.getJson(id(), "discovery", Urls.discoveryOf(settings.issuer()), settings.timeout());
        UpstreamMetadata m = UpstreamMetadata.read(id(), doc);
        String expected = rules.metadataIssuer(settings.issuer().toString());
        if (!m.issuer().equals(expected)) {
            throw UpstreamException.of(Reason.UPSTREAM_ISSUER_MISMATCH, id(), "The provider's configuration names a different issuer.",
                    "discovery issuer mismatch: expected '" + expected + "', received '" + m.issuer() + "'");
        }
        Ready fresh = prepare(m);
        ready.compareAndSet(null, fresh);
        return ready.get();
    }

    private Ready prepare(UpstreamMetadata m) {
        Ready before = forgotten.getAndSet(null);
        if (before != null && before.metadata().jwks().equals(m.jwks())) {
            // same key set URL: keep its cache and last good set (an outage of the JWK Set endpoint now must not lose them)
            return new Ready(m, before.keys(), new ConcurrentHashMap<>());
        }
        JWKSource<SecurityContext> keys;
        try {
            keys = http.jwks(id(), m.jwks(), settings.timeout());
        } catch (IllegalArgumentException e) {
            throw UpstreamException.of(Reason.UPSTREAM_FIELD_INVALID, id(), "The provider's configuration is invalid.",
                    "jwks_uri is not a URL");
        }
        return new Ready(m, keys, new ConcurrentHashMap<>());
    }
}
