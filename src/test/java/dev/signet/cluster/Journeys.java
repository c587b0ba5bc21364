package dev.signet.cluster;

import dev.signet.harness.Browser;
import dev.signet.harness.Haproxy;
import dev.signet.harness.RelyingParty;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.NettyWrapper;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import tools.jackson.databind.JsonNode;

/**
 * Whole sign-ins through a cluster's load balancer and a real OIDC upstream (mock-oauth2-server
 * with its interactive login, so concurrent journeys each sign in as their own user): authorize →
 * sign-in page → {@code /signin/corp} → upstream login (POST) → {@code /callback/corp} →
 * code (through {@code /authorize/resume} on a node before issue 16) → {@code /token}. Records which node answered each step.
 */
final class Journeys {

    static final String CLIENT = "app";
    static final String CLIENT_SECRET = "app-secret-0123456789";
    static final URI REDIRECT = URI.create("http://localhost:9/cb");

    /** The tenant, client and connection every cluster test uses; {@code ${UPSTREAM}} is the mock's issuer. */
    static final String TENANTS = """
            tenants:
              - name: default
                clients:
                  - id: app
                    secret: ${APP_SECRET}
                    redirect_uris: [http://localhost:9/cb]
                    grant_types: [authorization_code, refresh_token, client_credentials]
                connections:
                  - id: corp
                    kind: oidc
                    name: Corp IdP
                    issuer: ${UPSTREAM}
                    client_id: signet
                    client_secret: upstream-secret-0123
                    discovery: auto
                    timeout: 10s
            """;

    /** One finished sign-in: the tokens, the user's subject, and the node of each step. */
    record SignIn(String user, JsonNode tokens, String subject, Map<String, String> nodes) {
        String refreshToken() {
            return tokens.path("refresh_token").asString();
        }
    }

    /** A sign-in stopped after its first steps (authorize, sign-in page, upstream): finish it with {@link #finish}. */
    record Started(String user, Browser browser, RelyingParty.Authorization auth, URI upstreamLogin, Map<String, String> nodes) {}

    private Journeys() {}

    /** mock-oauth2-server on Netty (concurrent requests) with its login form, issuer id {@code corp}. */
    static MockOAuth2Server upstream() {
        MockOAuth2Server s = new MockOAuth2Server(new OAuth2Config(true, null, null, false,
                new OAuth2TokenProvider(new KeyProvider(), Instant::now), Set.of(), new NettyWrapper(null)));
        s.start();
        return s;
    }

    static final String WEBHOOK_SECRET = "webhook-secret-0123456789";

    /**
     * Every event to one webhook; a short lease, so a delivery claimed by a node that dies is taken
     * over by another within 15 s (the default is 60 s; 15 s is the least Signet accepts: a lease must outlast a sink attempt). Keys every version since issue 5 knows.
     */
    static final String EVENTS = """
            events:
              relay: {poll: 250ms, backoff: 500ms, lease: 15s}
              webhooks:
                - id: receiver
                  url: ${WEBHOOK_URL}
                  secret: ${WEBHOOK_SECRET}
                  timeout: 5s
            """;

    static Map<String, String> env(MockOAuth2Server upstream, dev.signet.harness.WebhookReceiver receiver) {
        return Map.of("UPSTREAM", upstream.issuerUrl("corp").toString(), "APP_SECRET", CLIENT_SECRET,
                "WEBHOOK_URL", receiver.url().toString(), "WEBHOOK_SECRET", WEBHOOK_SECRET);
    }

    static RelyingParty app(URI issuer) {
        return new RelyingParty(issuer, CLIENT, Optional.of(CLIENT_SECRET), REDIRECT);
    }

    static SignIn signIn(URI issuer, String user) {
        return finish(issuer, start(issuer, user));
    }

    /** Authorize, the sign-in page and the redirect to the upstream (three requests through the load balancer). */
    static Started start(URI issuer, String user) {
        Browser b = new Browser();
        RelyingParty.Authorization auth = app(issuer).authorize("openid email profile offline_access", Map.of());
        Map<String, String> nodes = new LinkedHashMap<>();
        HttpResponse<String> page = step(nodes, "authorize", b.get(auth.url()), 200);
        HttpResponse<String> toUpstream = step(nodes, "signin", b.get(Browser.link(page.body(), "/signin/corp")), 302);
        return new Started(user, b, auth, Browser.location(toUpstream), nodes);
    }

    /** The upstream login, callback, resume and code exchange. */
    static SignIn finish(URI issuer, Started s) {
        Map<String, String> nodes = new LinkedHashMap<>(s.nodes());
        Map<String, String> login = new LinkedHashMap<>();
        login.put("username", s.user());
        login.put("claims", "{\"email\":\"" + s.user() + "@example.com\",\"email_verified\":true,\"name\":\"" + s.user()
                + "\",\"aud\":[\"signet\"]}");
        URI callback = Browser.location(s.browser().postForm(s.upstreamLogin(), login));
        // the callback answers the app's redirect itself (issue 16); a node of the version before goes through resume
        URI next = Browser.location(step(nodes, "callback", s.browser().get(callback), 302));
        URI back = next.getPath().equals("/authorize/resume") ? Browser.location(step(nodes, "resume", s.browser().get(next), 302)) : next;
        Map<String, String> q = Browser.query(back);
        if (!back.toString().startsWith(REDIRECT.toString()) || !s.auth().state().equals(q.get("state")) || !q.containsKey("code")) {
            throw new AssertionError("expected the app's redirect with code and state, got " + back);
        }
        HttpResponse<String> token = step(nodes, "token", app(issuer).exchange(q.get("code"), s.auth().verifier()), 200);
        JsonNode tokens = RelyingParty.json(token);
        String subject;
        try {
            subject = com.nimbusds.jwt.SignedJWT.parse(tokens.path("id_token").asString()).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError("unreadable id_token: " + token.body(), e);
        }
        return new SignIn(s.user(), tokens, subject, nodes);
    }

    private static HttpResponse<String> step(Map<String, String> nodes, String step, HttpResponse<String> r, int expected) {
        String node = r.headers().firstValue(Haproxy.NODE_HEADER).orElse("?");
        nodes.put(step, node);
        if (r.statusCode() != expected) {
            throw new AssertionError(step + " on " + node + ": expected " + expected + ", got " + r.statusCode() + " "
                    + r.headers().firstValue("Location").orElse("") + " " + r.body());
        }
        return r;
    }

    /** The nodes a list of sign-ins touched, for assertions on spread. */
    static List<String> nodesOf(List<SignIn> signIns) {
        List<String> out = new ArrayList<>();
        signIns.forEach(s -> out.addAll(s.nodes().values()));
        return out;
    }
}
