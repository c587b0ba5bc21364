package dev.signet.cli;

import com.nimbusds.jose.jwk.JWKSet;
import dev.signet.Ids;
import dev.signet.SignetException;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.Connector;
import dev.signet.connector.ConnectorKinds;
import dev.signet.connector.LoginRequest;
import dev.signet.connector.UpstreamHttp;
import dev.signet.connector.Preflight;
import dev.signet.connector.Preflighted;
import dev.signet.connector.Unsafe;
import dev.signet.tenant.Tenant;
import dev.signet.tenant.Urls.Path;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live checks of one connection against its upstream (postmortem 000: a discovery flow the IdP
 * did not support, found only in production; postmortem 002: a malformed authorization URL):
 *
 * <pre>
 *   discovery      auto: the metadata URL answers JSON · manual: nothing is requested (by construction)
 *   issuer         auto: the metadata's issuer equals the configured one (both shown on mismatch)
 *   iss_parameter  RFC 9207 authorization_response_iss_parameter_supported, as advertised / configured (a note)
 *   jwks           the JWK Set parses and has at least one key
 *   token          the token endpoint answers an empty request (any answer but 404 / 5xx / no answer)
 *   api, userinfo  other configured endpoints answer a GET (any answer but 404 / 5xx / no answer)
 *   authorization  the URL Signet itself builds (Connector.loginUrl) answers with a page or redirect, not 404
 * </pre>
 *
 * What to check comes from the kind ({@link Preflighted}): OIDC and its presets (google, entra,
 * okta, gitlab) with discovery get the metadata, issuer, JWKS and token checks; with manual endpoints
 * and for oauth2 and github, the configured endpoints (github's API, oauth2's userinfo too) and the
 * preset or configured issuer as a note. An {@link Unsafe} kind (dev) is Signet itself and is
 * skipped. No kind is named here.
 */
final class LiveChecks {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final ConnectorKinds kinds;
    private final UpstreamHttp upstream;
    private final Ids ids = Ids.secure();

    LiveChecks(HttpClient http, ConnectorKinds kinds) {
        this.http = http;
        this.kinds = kinds;
        this.upstream = new UpstreamHttp(http, Clock.systemUTC());
    }

    List<CheckResult> check(Tenant tenant, ConnectionSettings c) {
        String target = tenant.name() + "/" + c.id();
        List<CheckResult> out = new ArrayList<>();
        Connector connector;
        try {
            connector = kinds.open(c, new ConnectorKinds.Deps(tenant.urls(), upstream));
        } catch (SignetException | IllegalArgumentException e) {
            out.add(CheckResult.problem(target, "connection", "could not open the connection: "
                    + (e instanceof SignetException s ? s.reason().code() + ": " + s.detail() : e.getMessage())));
            return out;
        }
        if (connector instanceof Unsafe) {
            out.add(CheckResult.skipped(target, "all", c.kind() + " is served by Signet itself: nothing upstream to check"));
            return out;
        }
        if (connector instanceof Preflighted p) {
            run(target, p.preflight(), out);
        } else {
            out.add(CheckResult.skipped(target, "discovery", "kind " + c.kind() + " declares no live checks"));
        }
        authorization(target, tenant, c.id(), connector, out);
        return out;
    }

    private void run(String target, Preflight p, List<CheckResult> out) {
        if (p.metadata().isPresent()) {
            metadata(target, p.metadata().get(), out);
        } else {
            out.add(CheckResult.ok(target, "discovery", p.noDiscovery()));
            p.issParameterSupported().ifPresent(b -> out.add(CheckResult.note(target, "iss_parameter", "configured iss_parameter_supported: " + b)));
            p.jwks().ifPresent(u -> jwks(target, u, out));
            p.token().ifPresent(u -> token(target, u, out));
        }
        p.endpoints().forEach(e -> endpoint(target, e, out));
        p.notes().forEach(n -> out.add(CheckResult.note(target, "issuer", n)));
    }

    private void metadata(String target, Preflight.Metadata expected, List<CheckResult> out) {
        URI url = expected.url();
        Optional<JsonNode> metadata = json(url);
        if (metadata.isEmpty()) {
            out.add(CheckResult.problem(target, "discovery", "no JSON metadata at " + url + ": " + lastError));
            return;
        }
        JsonNode m = metadata.get();
        out.add(CheckResult.ok(target, "discovery", url.toString()));
        String actual = m.path("issuer").asString("");
        if (actual.equals(expected.expectedIssuer())) {
            out.add(CheckResult.ok(target, "issuer", actual));
        } else {
            out.add(CheckResult.mismatch(target, "issuer", "the upstream's metadata names another issuer (callbacks and ID tokens would"
                    + " be refused with upstream.issuer_mismatch)", expected.expectedIssuer(), actual));
        }
        JsonNode iss = m.path("authorization_response_iss_parameter_supported");
        out.add(CheckResult.note(target, "iss_parameter", "authorization_response_iss_parameter_supported: "
                + (iss.isBoolean() ? iss.booleanValue() : "not advertised (false)")
                + (expected.issRequired() ? "; iss required by configuration" : "")));
        String jwks = m.path("jwks_uri").asString("");
        if (jwks.isEmpty()) {
            out.add(CheckResult.problem(target, "jwks", "the metadata has no jwks_uri"));
        } else {
            jwks(target, URI.create(jwks), out);
        }
        String token = m.path("token_endpoint").asString("");
        if (token.isEmpty()) {
            out.add(CheckResult.problem(target, "token", "the metadata has no token_endpoint"));
        } else {
            token(target, URI.create(token), out);
        }
    }

    /** A configured endpoint answers at all: anything but 404, 5xx or no answer. */
    private void endpoint(String target, Preflight.Endpoint e, List<CheckResult> out) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(e.url()).header("Accept", "application/json").GET());
            if (r.statusCode() == 404 || r.statusCode() >= 500) {
                out.add(CheckResult.mismatch(target, e.name(), e.url() + " does not answer as the " + e.name() + " endpoint",
                        "200, 401 or 403", String.valueOf(r.statusCode())));
            } else {
                out.add(CheckResult.ok(target, e.name(), e.url() + " answered " + r.statusCode()));
            }
        } catch (IOException x) {
            out.add(CheckResult.problem(target, e.name(), e.url() + ": " + x.getMessage()));
        }
    }

    private void jwks(String target, URI uri, List<CheckResult> out) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri).GET());
            JWKSet set = JWKSet.parse(r.body());
            if (r.statusCode() != 200 || set.getKeys().isEmpty()) {
                out.add(CheckResult.problem(target, "jwks", uri + " answered " + r.statusCode() + " with " + set.getKeys().size() + " keys"));
            } else {
                out.add(CheckResult.ok(target, "jwks", set.getKeys().size() + " key(s) at " + uri));
            }
        } catch (IOException | java.text.ParseException e) {
            out.add(CheckResult.problem(target, "jwks", uri + ": " + e.getMessage()));
        }
    }

    private void token(String target, URI uri, List<CheckResult> out) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("")));
            if (r.statusCode() == 404 || r.statusCode() >= 500) {
                out.add(CheckResult.mismatch(target, "token", uri + " does not look like a token endpoint", "400 or 401", String.valueOf(r.statusCode())));
            } else {
                out.add(CheckResult.ok(target, "token", uri + " answered " + r.statusCode()));
            }
        } catch (IOException e) {
            out.add(CheckResult.problem(target, "token", uri + ": " + e.getMessage()));
        }
    }

    /** The authorization URL exactly as a sign-in would build it, requested like a browser would. */
    private void authorization(String target, Tenant tenant, String connection, Connector connector, List<CheckResult> out) {
        URI url;
        try {
            url = connector.loginUrl(new LoginRequest(ids.secret(), ids.secret(), Ids.hash(ids.secret()),
                    tenant.urls().at(Path.CALLBACK, connection), Optional.empty()));
        } catch (SignetException | IllegalArgumentException e) {
            out.add(CheckResult.problem(target, "authorization", "could not build the authorization URL: "
                    + (e instanceof SignetException s ? s.reason().code() + ": " + s.detail() : e.getMessage())));
            return;
        }
        try {
            URI reparsed = new URI(url.toString());
            if (reparsed.getHost() == null || !reparsed.isAbsolute()) {
                out.add(CheckResult.problem(target, "authorization", "malformed authorization URL: " + url));
                return;
            }
            HttpResponse<String> r = send(HttpRequest.newBuilder(reparsed).GET());
            int s = r.statusCode();
            if (s == 200 || (s >= 300 && s < 400) || s == 401 || s == 403) {
                out.add(CheckResult.ok(target, "authorization", url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath()
                        + " answered " + s));
            } else {
                out.add(CheckResult.mismatch(target, "authorization", "the authorization URL does not answer with a page or redirect",
                        "200 or 3xx", s + " from " + url.getRawAuthority() + url.getRawPath()));
            }
        } catch (IOException | java.net.URISyntaxException e) {
            out.add(CheckResult.problem(target, "authorization", url.getRawAuthority() + url.getRawPath() + ": " + e.getMessage()));
        }
    }

    private String lastError = "";

    private Optional<JsonNode> json(URI uri) {
        try {
            HttpResponse<String> r = send(HttpRequest.newBuilder(uri).GET());
            if (r.statusCode() != 200) {
                lastError = "HTTP " + r.statusCode();
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(r.body()));
        } catch (IOException | tools.jackson.core.JacksonException e) {
            lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
        try {
            return http.send(b.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
