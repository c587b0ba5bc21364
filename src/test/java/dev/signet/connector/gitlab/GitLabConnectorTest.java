package dev.signet.connector.gitlab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.connector.MockOidcContract;
import org.junit.jupiter.api.Test;

/** The contract for {@code kind: gitlab}, self-managed at {@code base_url} (mock-oauth2-server). */
class GitLabConnectorTest extends MockOidcContract {

    @Override
    protected String issuerId() {
        return "gitlab";
    }

    @Override
    protected String connections() {
        return """
                      - id: main
                        kind: gitlab
                        name: Main IdP
                        base_url: ${UPSTREAM}/
                        client_id: signet
                        client_secret: upstream-secret
                        timeout: 2s
                      - id: strict
                        kind: gitlab
                        name: Strict IdP
                        base_url: ${UPSTREAM}
                        client_id: signet
                        client_secret: upstream-secret
                        iss_parameter_supported: true
                        timeout: 2s
                """;
    }

    @Test
    void presetWhenNoBaseUrlThenGitLabCom() {
        assertThat(GitLabSettings.GITLAB_COM).hasToString("https://gitlab.com");
    }
}
