package dev.signet.journey;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.signet.harness.Browser;
import dev.signet.harness.LogCapture;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 7: a claim of the wrong type is still ignored (the user signs in without it), but
 * no longer silently: {@code signet_upstream_claim_ignored_total{connection,field}} counts each one
 * and a WARN line names the connection, the field and the JSON type found (never the value),
 * rate-limited per connection and field.
 */
class ClaimIgnoredTest {

    static MockOAuth2Server upstream;
    static SignetHarness signet;
    static LogCapture log;

    @BeforeAll
    static void start() {
        upstream = new MockOAuth2Server();
        upstream.start();
        log = LogCapture.forLogger("dev.signet.app.Observability");
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: corp
                        kind: oidc
                        issuer: ${UPSTREAM}
                        client_id: signet
                        client_secret: upstream-secret
                        discovery: auto
                """, Map.of("UPSTREAM", upstream.issuerUrl("corp").toString()));
    }

    @AfterAll
    static void stop() {
        signet.close();
        upstream.shutdown();
        log.close();
    }

    /** A sign-in at corp whose ID token carries {@code claims}; returns Signet's ID token claims. */
    static JWTClaimsSet signIn(String subject, Map<String, Object> claims) throws Exception {
        Browser browser = new Browser();
        RelyingParty app = new RelyingParty(signet, "app", Optional.of("app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid email profile", Map.of());
        HttpResponse<String> page = browser.get(auth.url());
        URI upstreamAuthorize = Browser.location(browser.get(Browser.link(page.body(), "/signin/corp")));
        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("corp", subject, "JWT", List.of("signet"), claims, 3600));
        URI callback = Browser.location(browser.get(upstreamAuthorize));
        Map<String, String> back = Browser.query(Browser.location(browser.get(callback))); // straight back to the app (issue 16)
        HttpResponse<String> t = app.exchange(back.get("code"), auth.verifier());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        return SignedJWT.parse(RelyingParty.json(t).path("id_token").asString()).getJWTClaimsSet();
    }

    static double ignored(String field) {
        String metrics = new Browser().get(signet.management("/metrics")).body();
        Matcher m = Pattern.compile(Pattern.quote("signet_upstream_claim_ignored_total{connection=\"corp\",field=\"" + field + "\"}")
                + " ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    static List<ILoggingEvent> lines(String field) {
        return log.events().stream().filter(e -> e.getFormattedMessage().startsWith("upstream claim ignored"))
                .filter(e -> LogCapture.field(e, "field").equals(Optional.of(field))).toList();
    }

    @Test
    void signInWhenEmailIsAnObjectThenSignedInWithoutEmailAndTheOperatorSeesWhatWasIgnored() throws Exception {
        JWTClaimsSet id = signIn("bob", Map.of("email", Map.of("primary", "bob@example.com"), "name", "Bob"));

        assertThat(id.getClaims()).doesNotContainKey("email").containsEntry("name", "Bob");
        assertThat(ignored("email")).isEqualTo(1.0);
        assertThat(ignored("name")).as("a field of the right type is not reported").isZero();
        List<ILoggingEvent> warn = lines("email");
        assertThat(warn).hasSize(1);
        assertThat(LogCapture.field(warn.getFirst(), "connection")).contains("corp");
        assertThat(LogCapture.field(warn.getFirst(), "found")).contains("object");
        assertThat(LogCapture.field(warn.getFirst(), "payload")).contains("ID token");
        assertThat(warn.getFirst().getFormattedMessage() + LogCapture.field(warn.getFirst(), "detail").orElse(""))
                .doesNotContain("bob@example.com");

        // every sign-in is counted; the log says it once a minute per connection and field
        signIn("carol", Map.of("email", Map.of("primary", "carol@example.com")));
        assertThat(ignored("email")).isEqualTo(2.0);
        assertThat(lines("email")).hasSize(1);
    }
}
