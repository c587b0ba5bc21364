package dev.signet.config;

import static dev.signet.config.ConfigLoaderTest.DEV_CONNECTION;
import static dev.signet.config.ConfigLoaderTest.LOOPBACK_SERVER;
import static dev.signet.config.ConfigLoaderTest.parse;
import static dev.signet.config.ConfigLoaderTest.problemAt;
import static dev.signet.config.ConfigLoaderTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.signet.ConfigException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's client metadata, under the registered names: {@code post_logout_redirect_uris}
 * (RP-Initiated Logout 1.0 §3.1), {@code backchannel_logout_uri} and
 * {@code backchannel_logout_session_required} (Back-Channel Logout 1.0 §2.2), and Signet's
 * {@code consent}; every problem is listed with its path.
 */
class LogoutConsentConfigTest {

    @Test
    void parseWhenLogoutMetadataAndConsentGivenThenRead() {
        ClientSettings c = parse(LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [https://app.example.com/cb]
                        post_logout_redirect_uris: [https://app.example.com/bye, "http://localhost:3000/bye?x=1"]
                        backchannel_logout_uri: https://app.example.com/bcl?tenant=a
                        backchannel_logout_session_required: true
                        consent: required
                """ + DEV_CONNECTION).tenants().getFirst().clients().getFirst();

        assertThat(c.logout().postLogoutRedirectUris()).containsExactly(URI.create("https://app.example.com/bye"),
                URI.create("http://localhost:3000/bye?x=1"));
        assertThat(c.logout().allowsPostLogoutRedirect("https://app.example.com/bye")).isTrue();
        assertThat(c.logout().allowsPostLogoutRedirect("https://app.example.com/bye/")).isFalse();
        assertThat(c.logout().backchannelUri()).contains(URI.create("https://app.example.com/bcl?tenant=a"));
        assertThat(c.logout().backchannelSessionRequired()).isTrue();
        assertThat(c.consent()).isEqualTo(ClientSettings.ConsentPolicy.REQUIRED);
    }

    @Test
    void parseWhenNotGivenThenNoLogoutUrisAndConsentSkipped() {
        ClientSettings c = parse(LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [https://app.example.com/cb]
                """ + DEV_CONNECTION).tenants().getFirst().clients().getFirst();

        assertThat(c.logout().postLogoutRedirectUris()).isEmpty();
        assertThat(c.logout().backchannelUri()).isEqualTo(Optional.empty());
        assertThat(c.logout().backchannelSessionRequired()).isFalse();
        assertThat(c.consent()).isEqualTo(ClientSettings.ConsentPolicy.SKIP);
    }

    @Test
    void parseWhenLogoutMetadataWrongThenEveryProblemListedWithItsPath() {
        ConfigException e = refused(LOOPBACK_SERVER + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [https://app.example.com/cb]
                        post_logout_redirect_uris: ["https://app.example.com/bye#frag", "http://app.example.com/bye", "bye"]
                        backchannel_logout_uri: "ftp://app.example.com/bcl"
                        consent: sometimes
                      - id: other
                        secret: app-secret-0123456789
                        redirect_uris: [https://app.example.com/cb]
                        backchannel_logout_session_required: true
                      - id: third
                        secret: app-secret-0123456789
                        redirect_uris: [https://app.example.com/cb]
                        backchannel_logout_uri: "http://app.example.com/bcl"
                """ + DEV_CONNECTION);

        String app = "tenants[0].clients[0].";
        assertThat(problemAt(e, app + "post_logout_redirect_uris[0]").message()).contains("without a fragment");
        assertThat(problemAt(e, app + "post_logout_redirect_uris[1]").message()).contains("plain http is allowed only for loopback hosts");
        assertThat(problemAt(e, app + "post_logout_redirect_uris[2]").message()).contains("absolute URI");
        assertThat(problemAt(e, app + "backchannel_logout_uri").message()).contains("http(s)");
        assertThat(problemAt(e, app + "consent").message()).isEqualTo("must be skip or required, got 'sometimes'");
        assertThat(problemAt(e, "tenants[0].clients[1].backchannel_logout_session_required").message()).contains("needs backchannel_logout_uri");
        assertThat(problemAt(e, "tenants[0].clients[2].backchannel_logout_uri").message()).contains("plain http is allowed only for loopback hosts");
        assertThat(e.problems()).hasSize(7);
    }
}
