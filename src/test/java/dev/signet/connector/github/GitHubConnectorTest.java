package dev.signet.connector.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.signet.connector.ConnectorContract;
import dev.signet.connector.fake.GitHubFake;
import dev.signet.connector.fake.GitHubFake.Memberships;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The contract for {@code kind: github} against {@link GitHubFake}, with the github.com preset
 * (issuer {@code https://github.com/login/oauth}) and the endpoints moved to the fake; plus the
 * organisation/team restriction and the GitHub Enterprise Server preset.
 */
class GitHubConnectorTest extends ConnectorContract {

    GitHubFake github;
    volatile Memberships memberships = GitHubFake.none();

    @Override
    protected void startUpstream() {
        github = new GitHubFake();
    }

    @Override
    protected void stopUpstream() {
        github.close();
    }

    @Override
    protected String connections() {
        return """
                      - id: main
                        kind: github
                        name: Main IdP
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${GITHUB}
                        timeout: 2s
                      - id: strict
                        kind: github
                        name: Strict IdP
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${GITHUB}
                        iss_parameter_supported: true
                        timeout: 2s
                      - id: acme
                        kind: github
                        name: Acme GitHub
                        client_id: signet
                        client_secret: upstream-secret
                        unsafe_endpoint_base: ${GITHUB}
                        allowed_organizations: [acme]
                        allowed_teams: [umbrella/platform]
                        timeout: 2s
                """;
    }

    @Override
    protected Map<String, String> env() {
        return Map.of("GITHUB", github.base());
    }

    @Override
    protected String expectedIssuer() {
        return GitHubFake.GITHUB_ISSUER;
    }

    @Override
    protected String authorizationEndpoint() {
        return github.base() + "/login/oauth/authorize";
    }

    @Override
    protected void nextSignIn(Person p) {
        github.nextSignIn(new Person(GitHubFake.numericId(p.subject()), p.email(), p.emailVerified(), p.name(), p.extra()), memberships);
    }

    @Override
    protected String nextAnswerLacksRequiredField() {
        github.nextUserLacks("id");
        return "id";
    }

    @Override
    protected void failNextCall(Fault fault) {
        github.failNextTokenRequest(fault);
    }

    @Test
    void loginUrlWhenGitHubThenPresetEndpointsScopesAndPkce() {
        URI u = toUpstream(new Browser(), "acme");
        assertThat(Browser.query(u)).containsEntry("client_id", "signet").containsEntry("scope", "read:user user:email read:org")
                .containsEntry("code_challenge_method", "S256").containsKey("code_challenge");
    }

    @Test
    void signInWhenMemberOfAllowedOrganizationOrTeamThenSignedIn() throws Exception {
        memberships = new Memberships(List.of("other", "ACME"), List.of());
        JWTClaimsSet byOrg = signIn("acme", person("olga"), UnaryOperator.identity());
        assertThat(byOrg.getSubject()).isNotBlank();
        memberships = new Memberships(List.of("other"), List.of("umbrella/platform"));
        JWTClaimsSet byTeam = signIn("acme", person("tom"), UnaryOperator.identity());
        assertThat(byTeam.getSubject()).isNotBlank().isNotEqualTo(byOrg.getSubject());
        memberships = GitHubFake.none();
    }

    @Test
    void signInWhenInNoAllowedOrganizationOrTeamThenOrgDenied() {
        memberships = new Memberships(List.of("other"), List.of("umbrella/sales", "acme/platform"));
        Browser browser = new Browser();
        URI callback = throughUpstream(browser, "acme", person("nora"));
        memberships = GitHubFake.none();
        HttpResponse<String> r = browser.get(callback);
        ErrorPage page = ErrorPage.of(r);
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.reason()).isEqualTo("upstream.org_denied");
        assertThat(page.provider()).contains("Acme GitHub");
        assertThat(log.detail(page.correlationId())).contains("allowed_organizations [acme]").contains("umbrella/platform");
        assertNoSession(r);
    }

    @Test
    void presetWhenEnterpriseHostThenIssuerAndEndpointsOnThatHost() {
        GitHubSettings ghes = GitHubSettings.preset("github.example.com", java.util.Optional.empty(), "id",
                new dev.signet.config.Secret("s"), List.of("read:user"), java.util.Set.of(), java.util.Set.of(),
                java.time.Duration.ofSeconds(5), false);
        assertThat(ghes.issuer()).hasToString("https://github.example.com/login/oauth");
        assertThat(ghes.authorization()).hasToString("https://github.example.com/login/oauth/authorize");
        assertThat(ghes.token()).hasToString("https://github.example.com/login/oauth/access_token");
        assertThat(ghes.api()).hasToString("https://github.example.com/api/v3");
        GitHubSettings com = GitHubSettings.preset("github.com", java.util.Optional.empty(), "id", new dev.signet.config.Secret("s"),
                List.of(), java.util.Set.of(), java.util.Set.of(), java.time.Duration.ofSeconds(5), false);
        assertThat(com.issuer()).hasToString("https://github.com/login/oauth");
        assertThat(com.api()).hasToString("https://api.github.com");
    }
}
