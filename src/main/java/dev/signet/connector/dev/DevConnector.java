package dev.signet.connector.dev;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.Connector;
import dev.signet.connector.HostedUpstream;
import dev.signet.connector.IssuerExpectation;
import dev.signet.connector.LoginRequest;
import dev.signet.connector.Unsafe;
import dev.signet.connector.ProbeHints;
import dev.signet.connector.UpstreamIdentity;
import dev.signet.connector.VerifiedCallback;
import dev.signet.tenant.Urls;
import dev.signet.tenant.Urls.Path;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The built-in development upstream, served by Signet itself at {@code /dev-upstream/{connection}}.
 * It goes through the same journey as a real upstream (state, RFC 9207 {@code iss}, nonce), so
 * trying Signet locally exercises the real protocol; only the "provider" is a form.
 */
public final class DevConnector implements Connector, Unsafe, ProbeHints, HostedUpstream {

    private final ConnectionSettings connection;
    private final Urls urls;

    DevConnector(ConnectionSettings connection, Urls urls) {
        this.connection = connection;
        this.urls = urls;
    }

    public static Connector open(ConnectionSettings connection, Urls urls) {
        return new DevConnector(connection, urls);
    }

    @Override
    public String id() {
        return connection.id();
    }

    @Override
    public String defaultEmail() {
        return "dev@example.com";
    }

    /** What the dev "provider" answers: a code carrying what was typed (never verified), the state, and its {@code iss}. */
    @Override
    public Map<String, String> answer(String name, String email, String state, String nonce) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("code", DevCodes.encode(name, email, nonce));
        q.put("state", state);
        q.put("iss", issuerOf(urls, connection.id()));
        return q;
    }

    @Override
    public String unsafeWarning() {
        return "UNSAFE: dev connection enabled, anyone who can reach Signet can sign in as anyone";
    }

    /** Served by Signet itself, on the tenant's default domain. */
    @Override
    public Optional<String> authorizationHost() {
        return Optional.of(urls.issuer().getHost());
    }

    @Override
    public URI loginUrl(LoginRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("state", r.state());
        q.put("nonce", r.nonce());
        q.put("redirect_uri", r.callbackUri().toString());
        r.loginHint().ifPresent(h -> q.put("login_hint", h));
        return urls.at(Path.DEV_UPSTREAM, connection.id(), q);
    }

    /** The dev upstream's issuer, sent as {@code iss} on its callback and advertised as such. */
    public static String issuerOf(Urls urls, String connectionId) {
        return urls.at(Path.DEV_UPSTREAM, connectionId).toString();
    }

    @Override
    public IssuerExpectation issuer() {
        return new IssuerExpectation(issuerOf(urls, connection.id()), true);
    }

    @Override
    public UpstreamIdentity finish(VerifiedCallback callback) {
        JsonNode code = DevCodes.decode(id(), callback.code());
        String nonce = text(code, "nonce").orElse("");
        if (!nonce.equals(callback.nonce())) {
            throw UpstreamException.of(Reason.UPSTREAM_ID_TOKEN_INVALID, id(), "The dev sign-in answer belongs to another sign-in.",
                    "nonce mismatch");
        }
        String sub = text(code, "sub").orElseThrow(() -> UpstreamException.of(Reason.UPSTREAM_BAD_RESPONSE, id(),
                "The dev sign-in answer is incomplete.", "dev code field 'sub' is missing"));
        // Nobody verified a typed-in address: never let it link to an account from a real upstream.
        return new UpstreamIdentity(sub, text(code, "email"), false, text(code, "name"), Optional.empty());
    }

    private static Optional<String> text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isString() && !v.asString().isBlank() ? Optional.of(v.asString()) : Optional.empty();
    }
}
