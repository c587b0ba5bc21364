package dev.signet.connector.github;

import dev.signet.Reason;
import dev.signet.UpstreamException;
import dev.signet.config.ConnectionSettings;
import dev.signet.connector.CallbackCheck;
import dev.signet.connector.ConfigHints;
import dev.signet.connector.Connector;
import dev.signet.connector.IssuerExpectation;
import dev.signet.connector.LoginRequest;
import dev.signet.connector.ProbeHints;
import dev.signet.connector.PublicNames;
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
 * GitHub's OAuth app / GitHub App user authorization (docs.github.com, "Authorizing OAuth apps"),
 * which is OAuth 2.0 without OIDC: the browser goes to {@code /login/oauth/authorize} (with PKCE
 * S256), the code is exchanged at {@code /login/oauth/access_token} (JSON by {@code Accept}; GitHub
 * reports a bad code as HTTP 200 with an {@code error} member), and the identity is read from the
 * REST API: {@code /user} (stable numeric {@code id}, never the renamable {@code login}), the primary
 * verified address from {@code /user/emails}, and, when restricted, {@code /user/orgs} and
 * {@code /user/teams}.
 *
 * <p>RFC 9207: GitHub sends {@code iss=https://github.com/login/oauth} on its callback. The preset
 * expects exactly that; an absent {@code iss} is accepted unless {@code iss_parameter_supported: true}.
 */
public final class GitHubConnector implements Connector, Preflighted, ProbeHints, ConfigHints, PublicNames {

    /** One page of 100 (GitHub's maximum); members of more organisations or teams are not looked up further. */
    private static final Map<String, String> PAGE = Map.of("per_page", "100");

    private final ConnectionSettings connection;
    private final GitHubSettings settings;
    private final UpstreamHttp http;

    GitHubConnector(ConnectionSettings connection, GitHubSettings settings, UpstreamHttp http) {
        this.connection = connection;
        this.settings = settings;
        this.http = http;
    }

    public static Connector open(ConnectionSettings connection, UpstreamHttp http) {
        return new GitHubConnector(connection, (GitHubSettings) connection.options(), http);
    }

    @Override
    public String id() {
        return connection.id();
    }

    @Override
    public URI loginUrl(LoginRequest r) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", r.callbackUri().toString());
        q.put("scope", String.join(" ", settings.scopes()));
        q.put("state", r.state());
        q.put("code_challenge", r.codeChallenge());
        q.put("code_challenge_method", "S256");
        return Urls.withQuery(settings.authorization(), q);
    }

    /** GitHub has no discovery: its token endpoint and REST API must answer; the preset issuer is shown. */
    @Override
    public Preflight preflight() {
        return Preflight.manual("github has no discovery: its endpoints and issuer are the preset's", settings.issParameterSupported(),
                Optional.empty(), Optional.of(settings.token()), List.of(new Preflight.Endpoint("api", Urls.upstream(settings.api(), "/user"))),
                List.of("preset issuer " + settings.issuer() + ": a callback's RFC 9207 iss must equal it"));
    }

    @Override
    public Optional<String> authorizationHost() {
        return Optional.of(settings.authorization().getHost());
    }

    /**
     * GitHub's issuer is the preset's ({@code https://{host}/login/oauth}): when its callbacks start
     * carrying exactly that {@code iss}, requiring it from then on is the one line to set; another
     * value means {@code host} names another server than the one answering.
     */
    @Override
    public List<String> configLines(String field, Optional<String> now) {
        if (!field.equals(ConfigHints.CALLBACK_ISS)) {
            return List.of();
        }
        if (now.isEmpty()) {
            return settings.issParameterSupported()
                    ? List.of("iss_parameter_supported: false (GitHub no longer sends iss; callbacks without it are refused)") : List.of();
        }
        return now.get().equals(settings.issuer().toString())
                ? settings.issParameterSupported() ? List.of() : List.of("iss_parameter_supported: true (require iss=" + now.get() + " from now on)")
                : List.of("host: the server that sends iss=" + CallbackCheck.printable(now.get()) + " (the preset expects iss=" + settings.issuer() + ")");
    }

    /** The allowed organisations and each allowed team's organisation and slug: what {@code /user/orgs} and {@code /user/teams} are compared with. */
    @Override
    public java.util.Set<String> publicNames() {
        java.util.Set<String> names = new java.util.HashSet<>(settings.allowedOrganizations());
        settings.allowedTeams().forEach(t -> names.addAll(List.of(t.split("/", 2))));
        return java.util.Set.copyOf(names);
    }

    @Override
    public IssuerExpectation issuer() {
        return new IssuerExpectation(settings.issuer().toString(), settings.issParameterSupported());
    }

    @Override
    public UpstreamIdentity finish(VerifiedCallback callback) {
        String token = exchange(callback);
        JsonNode user = get(token, "/user", "user profile (/user)", callback);
        UpstreamFields profile = http.fields(id(), "user profile (/user)", user);
        String subject = profile.id("id");
        if (settings.restricted()) {
            requireMembership(token, profile.optString("login").orElse(subject), callback);
        }
        Email email = primaryEmail(get(token, "/user/emails", "email list (/user/emails)", callback), profile);
        return new UpstreamIdentity(subject, email.address(), email.verified(), profile.optString("name").or(() -> profile.optString("login")),
                profile.optString("avatar_url"));
    }

    private String exchange(VerifiedCallback callback) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", settings.clientId());
        form.put("client_secret", settings.clientSecret().value());
        form.put("code", callback.code());
        form.put("redirect_uri", callback.callbackUri().toString());
        form.put("code_verifier", callback.codeVerifier());
        JsonNode body = http.postForm(id(), "token endpoint", settings.token(), form, Optional.empty(), settings.timeout(),
                callback.deadline());
        UpstreamFields f = UpstreamFields.of(id(), "token response", body);
        Optional<String> error = f.optString("error");
        if (error.isPresent()) {
            throw UpstreamHttp.refused(id(), "token endpoint", 200, error.get());
        }
        return f.string("access_token");
    }

    private JsonNode get(String token, String path, String what, VerifiedCallback callback) {
        return http.getJson(id(), what, Urls.withQuery(Urls.upstream(settings.api(), path), PAGE), token, settings.timeout(),
                callback.deadline());
    }

    private record Email(Optional<String> address, boolean verified) {}

    /** The primary address and whether GitHub verified it; {@code /user}'s public email (unverified) when there is none. */
    private Email primaryEmail(JsonNode emails, UpstreamFields profile) {
        if (!emails.isArray()) {
            throw UpstreamFields.of(id(), "email list (/user/emails)", emails).invalid("(root)", "a list");
        }
        for (JsonNode e : emails) {
            UpstreamFields f = UpstreamFields.of(id(), "email list (/user/emails)", e);
            if (e.isObject() && f.flag("primary")) {
                return new Email(Optional.of(f.string("email")), f.flag("verified"));
            }
        }
        return new Email(profile.optString("email"), false);
    }

    private void requireMembership(String token, String login, VerifiedCallback callback) {
        if (!settings.allowedOrganizations().isEmpty()) {
            for (JsonNode org : list(get(token, "/user/orgs", "organization list (/user/orgs)", callback))) {
                if (UpstreamFields.of(id(), "organization list", org).optString("login")
                        .filter(o -> settings.allowedOrganizations().stream().anyMatch(o::equalsIgnoreCase)).isPresent()) {
                    return;
                }
            }
        }
        if (!settings.allowedTeams().isEmpty()) {
            for (JsonNode team : list(get(token, "/user/teams", "team list (/user/teams)", callback))) {
                UpstreamFields f = UpstreamFields.of(id(), "team list", team);
                String name = f.optString("/organization/login").orElse("") + "/" + f.optString("slug").orElse("");
                if (settings.allowedTeams().stream().anyMatch(name::equalsIgnoreCase)) {
                    return;
                }
            }
        }
        throw UpstreamException.of(Reason.UPSTREAM_ORG_DENIED, id(), "Your GitHub account is not a member of an organisation or team "
                + "allowed to sign in here.", "GitHub user '" + CallbackCheck.printable(login) + "' is in none of allowed_organizations "
                + settings.allowedOrganizations() + " / allowed_teams " + settings.allowedTeams());
    }

    private Iterable<JsonNode> list(JsonNode n) {
        if (!n.isArray()) {
            throw UpstreamFields.of(id(), "membership list", n).invalid("(root)", "a list");
        }
        return n;
    }
}
