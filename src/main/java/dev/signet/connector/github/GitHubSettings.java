package dev.signet.connector.github;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.config.Secret;
import dev.signet.tenant.Urls;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A GitHub upstream ({@code kind: github}): github.com, or GitHub Enterprise Server with {@code host}.
 * The preset carries the issuer GitHub sends as RFC 9207 {@code iss}, {@code https://{host}/login/oauth}
 * (postmortem 001: a library default there rejected every GitHub sign-in), and the endpoints:
 * {@code https://{host}/login/oauth/authorize} and {@code …/access_token}; the REST API at
 * {@code https://api.github.com} (GHES: {@code https://{host}/api/v3}).
 */
public record GitHubSettings(String clientId, Secret clientSecret, URI issuer, URI authorization, URI token, URI api,
        List<String> scopes, Set<String> allowedOrganizations, Set<String> allowedTeams, Duration timeout, boolean issParameterSupported)
        implements ConnectionKinds.Options {

    public static final String GITHUB_COM = "github.com";

    static final Set<String> KEYS = Set.of("client_id", "client_secret", "host", "scopes",
            "allowed_organizations", "allowed_teams", "timeout", "iss_parameter_supported");

    public GitHubSettings {
        scopes = List.copyOf(scopes);
        allowedOrganizations = Set.copyOf(allowedOrganizations);
        allowedTeams = Set.copyOf(allowedTeams);
    }

    /** Whether sign-in is restricted to members of organisations or teams. */
    boolean restricted() {
        return !allowedOrganizations.isEmpty() || !allowedTeams.isEmpty();
    }

    /** The preset for {@code host} (github.com or a GHES host name), endpoints optionally at {@code endpointBase}. */
    public static GitHubSettings preset(String host, Optional<URI> endpointBase, String clientId, Secret secret, List<String> scopes,
            Set<String> orgs, Set<String> teams, Duration timeout, boolean issParameterSupported) {
        URI site = endpointBase.orElse(Urls.https(host, ""));
        URI api = host.equals(GITHUB_COM) ? endpointBase.orElse(Urls.https("api.github.com", "")) : Urls.upstream(site, "/api/v3");
        return new GitHubSettings(clientId, secret, Urls.https(host, "/login/oauth"), Urls.upstream(site, "/login/oauth/authorize"),
                Urls.upstream(site, "/login/oauth/access_token"), api, scopes, orgs, teams, timeout, issParameterSupported);
    }

    public static GitHubSettings read(ConfigNode n) {
        return read(n, Optional.empty());
    }

    /** With {@code endpointBase}: every request goes there while the expected issuer stays the preset's (tests: a fake). */
    public static GitHubSettings read(ConfigNode n, Optional<URI> endpointBase) {
        Set<String> allowed = new HashSet<>(KEYS);
        allowed.addAll(ConnectionKinds.COMMON_KEYS);
        n.allowOnly(allowed);
        String clientId = n.string("client_id");
        Secret secret = n.optSecret("client_secret").orElse(new Secret(""));
        if (!n.has("client_secret")) {
            n.problem("client_secret", "is required (use ${ENV_VAR} to keep it out of the file)");
        }
        String host = n.optString("host").orElse(GITHUB_COM);
        if (!host.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
            n.problem("host", "must be a host name such as github.com or github.example.com (no scheme, no path), got '" + host + "'");
            host = GITHUB_COM;
        }
        Set<String> orgs = Set.copyOf(n.strings("allowed_organizations"));
        Set<String> teams = Set.copyOf(n.strings("allowed_teams"));
        for (String t : teams) {
            if (!t.matches("[^/\\s]+/[^/\\s]+")) {
                n.problem("allowed_teams", "entries must be 'organization/team-slug', got '" + t + "'");
            }
        }
        List<String> scopes = new ArrayList<>(n.has("scopes") ? n.strings("scopes") : List.of("read:user", "user:email"));
        if ((!orgs.isEmpty() || !teams.isEmpty()) && !scopes.contains("read:org")) {
            scopes.add("read:org"); // needed to list the user's organisations and teams
        }
        return preset(host, endpointBase, clientId, secret, scopes, orgs, teams,
                n.duration("timeout", Duration.ofSeconds(10)), n.bool("iss_parameter_supported", false));
    }
}
