package dev.signet.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import dev.signet.harness.Browser;
import dev.signet.harness.PrefixProxy;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import dev.signet.tenant.DomainGenerator;
import dev.signet.tenant.DomainGenerator.Generated;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The full round trip on seeded generated custom domains (postmortem 002), each with a real host
 * name (IDN in punycode, mixed case, trailing dots and slashes as written by an operator), some
 * behind a reverse proxy that strips a path prefix: discovery on the domain → authorize → the
 * upstream URL (mock-oauth2-server) with a callback on the same domain → callback → resume →
 * redirect to the app with that domain's {@code iss} → tokens whose issuer is that domain.
 */
class DomainRoundTripTest {

    static final long SEED = 20240711L;
    static MockOAuth2Server upstream;
    static PrefixProxy proxy;
    static SignetHarness signet;
    static List<Generated> domains;

    @BeforeAll
    static void start() throws Exception {
        upstream = new MockOAuth2Server();
        upstream.start();
        proxy = new PrefixProxy();
        int port = SignetHarness.freePort();
        domains = DomainGenerator.reachable(SEED, 6, port, proxy.port());
        List<String> configured = new ArrayList<>();
        domains.forEach(d -> configured.add("\"" + d.configured() + "\""));
        String yaml = SignetHarness.server().replace("${PORT}", String.valueOf(port)).replace("host: 127.0.0.1",
                "host: 127.0.0.1\n  trusted_proxies: [127.0.0.1/32]") + """
                tenants:
                  - name: default
                    connections: [{id: dev, kind: dev-unsafe}]
                  - name: gen
                    issuer: http://gen.test:%d
                    custom_domains: [%s]
                    clients:
                      - id: gen-app
                        secret: gen-app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: corp
                        kind: oidc
                        issuer: ${UPSTREAM}
                        client_id: signet-gen
                        client_secret: upstream-secret
                        discovery: auto
                """.formatted(port, String.join(", ", configured));
        signet = SignetHarness.start(yaml, Map.of("UPSTREAM", upstream.issuerUrl("rt").toString()));
        proxy.forwardTo(port, domains.stream().map(Generated::prefix).filter(p -> !p.isEmpty()).toList());
    }

    @AfterAll
    static void stop() {
        signet.close();
        proxy.close();
        upstream.shutdown();
    }

    static Stream<Generated> domains() {
        return domains.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("domains")
    void signInWhenOnGeneratedDomainThenEveryStepStaysOnIt(Generated d) throws Exception {
        URI issuer = URI.create(d.issuer());
        Browser browser = new Browser();
        JsonNode metadata = RelyingParty.json(browser.get(URI.create(d.issuer() + "/.well-known/openid-configuration")));
        assertThat(metadata.path("issuer").asString()).isEqualTo(d.issuer());
        assertThat(metadata.path("authorization_endpoint").asString()).isEqualTo(d.issuer() + "/authorize");

        RelyingParty app = new RelyingParty(issuer, "gen-app", Optional.of("gen-app-secret-0123456789"), URI.create("http://localhost:9/cb"));
        RelyingParty.Authorization auth = app.authorize("openid", Map.of());
        HttpResponse<String> page = browser.get(auth.url());
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        URI signIn = Browser.link(page.body(), "/signin/corp");
        assertThat(signIn.toString()).startsWith(d.issuer() + "/signin/corp?");

        URI toUpstream = Browser.location(browser.get(signIn));
        URI parsed = new URI(toUpstream.toString());
        assertThat(parsed.getRawAuthority()).isEqualTo(upstream.issuerUrl("rt").uri().getAuthority());
        assertThat(Browser.query(parsed)).containsEntry("redirect_uri", d.issuer() + "/callback/corp");

        upstream.enqueueCallback(new DefaultOAuth2TokenCallback("rt", "sub-" + d.host(), "JWT", List.of("signet-gen"), Map.of(), 3600));
        HttpResponse<String> atUpstream = browser.get(parsed);
        assertThat(atUpstream.statusCode()).isEqualTo(302);
        URI callback = Browser.location(atUpstream);
        assertThat(callback.toString()).startsWith(d.issuer() + "/callback/corp?");
        HttpResponse<String> afterCallback = browser.get(callback);
        assertThat(afterCallback.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("signet_session=")
                && c.contains("Path=" + (d.prefix().isEmpty() ? "/" : d.prefix()) + ";"));
        URI back = Browser.location(afterCallback); // straight back to the application (issue 16)
        Map<String, String> q = Browser.query(back);
        assertThat(q).containsEntry("iss", d.issuer()).containsEntry("state", auth.state()).containsKey("code");

        HttpResponse<String> tokens = app.exchange(q.get("code"), auth.verifier());
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(app.validateIdToken(RelyingParty.json(tokens).path("id_token").asString(), auth.nonce(), JWSAlgorithm.RS256)
                .getIssuer()).isEqualTo(d.issuer());
    }
}
