package dev.signet.connector.oauth2;

import dev.signet.config.ConnectionSettings;
import dev.signet.connector.ConfigHints;
import dev.signet.connector.Connector;
import dev.signet.connector.IssuerExpectation;
import dev.signet.connector.LoginRequest;
import dev.signet.connector.ProbeHints;
import dev.signet.connector.Preflighted;
import dev.signet.connector.Preflight;
import dev.signet.connector.UpstreamFields;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.UpstreamIdentity;
import dev.signet.connector.VerifiedCallback;
import dev.signet.tenant.Urls;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A plain OAuth 2.0 upstream (RFC 6749 §4.1 with PKCE, RFC 7636): the code is exchanged at the
 * token endpoint (§4.1.3; client authentication per §2.3.1), then the identity is read from the
 * userinfo endpoint with the access token (RFC 6750 §2.1) through the connection's JSON-pointer
 * mapping. No ID token exists, so the userinfo answer is the only source of truth: the subject must
 * be present and {@code email_verified} counts only when the upstream says {@code true}.
 */
public final class OAuth2Connector implements Connector, Preflighted, ProbeHints, ConfigHints {

    private final ConnectionSettings connection;
    private final OAuth2Settings settings;
    private final UpstreamHttp http;

    OAuth2Connector(ConnectionSettings connection, OAuth2Settings settings, UpstreamHttp http) {
        this.connection = connection;
        this.settings = settings;
        this.http = http;
    }

    public static Connector open(ConnectionSettings connection, UpstreamHttp http) {
        return new OAuth2Connector(connection, (OAuth2Settings) connection.options(), http);
    }

    /** RFC 9207 here is configuration only: {@code issuer} and {@code iss_parameter_supported} follow the callbacks. */
    @Override
    public List<String> configLines(String field, Optional<String> now) {
        if (!field.equals(ConfigHints.CALLBACK_ISS)) {
            return List.of();
        }
        if (now.isEmpty()) {
            return settings.issParameterSupported() ? List.of("iss_parameter_supported: false") : List.of();
        }
        java.util.List<String> lines = new java.util.ArrayList<>();
        if (!settings.issuer().map(URI::toString).equals(now)) {
            lines.add("issuer: " + now.get());
        }
        if (!settings.issParameterSupported()) {
            lines.add("iss_parameter_supported: true");
        }
        return lines;
    }

    @Override
    public String id() {
        return connection.id();
    }

    /** No discovery: the token and userinfo endpoints must answer; the configured issuer, if any, is shown. */
    @Override
    public Preflight preflight() {
        return Preflight.manual("oauth2 has no discovery: none is requested", settings.issParameterSupported(), Optional.empty(),
                Optional.of(settings.token()), List.of(new Preflight.Endpoint("userinfo", settings.userinfo())),
                settings.issuer().map(i -> List.of("configured issuer " + i + ": a callback's RFC 9207 iss must equal it"))
                        .orElse(List.of()));
    }

    @Override
    public Optional<String> authorizationHost() {
        return Optional.of(settings.authorization().getHost());
    }

    @Override
    public URI loginUrl(LoginRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", r.callbackUri().toString());
        if (!settings.scopes().isEmpty()) {
            q.put("scope", String.join(" ", settings.scopes()));
        }
        q.put("state", r.state());
        q.put("code_challenge", r.codeChallenge());
        q.put("code_challenge_method", "S256");
        return Urls.withQuery(settings.authorization(), q);
    }

    /** Without a configured issuer nothing matches: an {@code iss} then is refused, naming what arrived. */
    @Override
    public IssuerExpectation issuer() {
        return new IssuerExpectation(settings.issuer().map(URI::toString).orElse(""), settings.issParameterSupported());
    }

    @Override
    public UpstreamIdentity finish(VerifiedCallback callback) {
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
        UpstreamFields token = UpstreamFields.of(id(), "token response",
                http.postForm(id(), "token endpoint", settings.token(), form, basic, settings.timeout(), callback.deadline()));
        Optional<String> error = token.optString("error");
        if (error.isPresent()) { // some upstreams answer a refused exchange with 200 and an error member
            throw UpstreamHttp.refused(id(), "token endpoint", 200, error.get());
        }
        JsonNode info = http.getJson(id(), "userinfo endpoint", settings.userinfo(), token.string("access_token"), settings.timeout(),
                callback.deadline());
        if (!info.isObject()) {
            throw UpstreamFields.of(id(), "userinfo", info).invalid("(root)", "a JSON object");
        }
        return settings.mapping().identity(http.fields(id(), "userinfo", info));
    }
}
