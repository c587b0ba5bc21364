package dev.signet.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationRequest;
import com.nimbusds.oauth2.sdk.PushedAuthorizationResponse;
import com.nimbusds.oauth2.sdk.PushedAuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.signet.harness.Browser;
import dev.signet.harness.DevSignIn;
import dev.signet.harness.RelyingParty;
import dev.signet.harness.SignetHarness;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pushed authorization requests (RFC 9126) on the running server, driven by Nimbus's client: the client pushes its
 * request to {@code /par} (authenticated), the browser brings only {@code client_id} and {@code request_uri} to
 * {@code /authorize}, and the code is redeemed as usual. The request_uri is used once, expires, belongs to its client
 * and its tenant; errors at {@code /par} are JSON (§2.3), a bad request_uri at {@code /authorize} is a page.
 */
class ParRfc9126Test {

    static final String SECRET = "app-secret-0123456789";
    static final URI CB = URI.create("http://localhost:9/cb");
    static SignetHarness signet;
    static final dev.signet.harness.LogCapture LOGS = dev.signet.harness.LogCapture.everything();
    static RelyingParty app;
    static URI issuerB;

    @BeforeAll
    static void start() {
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                      - id: other
                        secret: other-secret-0123456789
                        redirect_uris: [http://localhost:9/other]
                      - id: strict
                        secret: strict-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                        require_pushed_authorization_requests: true
                    connections:
                      - id: dev
                        kind: dev-unsafe
                  - name: acme
                    issuer: "http://acme.test:${PORT}"
                    clients:
                      - id: app
                        secret: app-secret-0123456789
                        redirect_uris: [http://localhost:9/cb]
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """);
        app = new RelyingParty(signet, "app", Optional.of(SECRET), CB);
        issuerB = URI.create("http://acme.test:" + signet.issuer().getPort());
    }

    @AfterAll
    static void stop() {
        signet.close();
        LOGS.close();
    }

    record Pushed(URI requestUri, long lifetime, CodeVerifier verifier, State state) {}

    /** Nimbus's client pushes an OIDC authentication request with PKCE, authenticated by client_secret_basic. */
    static Pushed push(URI issuer, String clientId, String secret, Map<String, String> extra) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid", "email"),
                new ClientID(clientId), CB).state(state).nonce(new Nonce()).codeChallenge(verifier, CodeChallengeMethod.S256)
                .endpointURI(URI.create(issuer + "/authorize"));
        extra.forEach((k, v) -> b.customParameter(k, v));
        PushedAuthorizationRequest par = new PushedAuthorizationRequest(URI.create(issuer + "/par"),
                new ClientSecretBasic(new ClientID(clientId), new Secret(secret)), b.build());
        HTTPResponse response = par.toHTTPRequest().send();
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
        assertThat(response.getHeaderValue("Cache-Control")).isEqualTo("no-store");
        PushedAuthorizationSuccessResponse ok = PushedAuthorizationResponse.parse(response).toSuccessResponse();
        return new Pushed(ok.getRequestURI(), ok.getLifetime(), verifier, state);
    }

    /** The front-channel request: only client_id and request_uri (RFC 9126 §4), built by Nimbus. */
    static URI authorizeUrl(URI issuer, String clientId, URI requestUri) {
        return new AuthorizationRequest.Builder(requestUri, new ClientID(clientId)).endpointURI(URI.create(issuer + "/authorize")).build().toURI();
    }

    static HttpResponse<String> postPar(URI issuer, String basicUser, String basicSecret, String body) {
        return new Browser().send(HttpRequest.newBuilder(URI.create(issuer + "/par"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((basicUser + ":" + basicSecret).getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void parWhenPushedThenAuthorizeWithRequestUriOnlyIssuesACodeRedeemableWithTheVerifier() throws Exception {
        Pushed p = push(signet.issuer(), "app", SECRET, Map.of());
        assertThat(p.requestUri().toString()).startsWith("urn:ietf:params:oauth:request_uri:");
        assertThat(p.lifetime()).isEqualTo(60);

        Map<String, String> back = DevSignIn.code(authorizeUrl(signet.issuer(), "app", p.requestUri()), "par@example.com");
        assertThat(back).containsEntry("state", p.state().getValue()).containsEntry("iss", signet.issuer().toString());
        HttpResponse<String> t = app.exchange(back.get("code"), p.verifier().getValue());
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        assertThat(RelyingParty.json(t).path("id_token").asString()).isNotEmpty();

        // §4: used once
        HttpResponse<String> again = new Browser().get(authorizeUrl(signet.issuer(), "app", p.requestUri()));
        ProtocolAssertions.assertErrorPage(again, 400, "authorize.invalid_request_uri");
    }

    /** §4: only the pushed parameters count; what the browser adds beside request_uri is ignored. */
    @Test
    void authorizeWhenParametersBesideRequestUriThenIgnored() throws Exception {
        Pushed p = push(signet.issuer(), "app", SECRET, Map.of());
        URI tampered = URI.create(authorizeUrl(signet.issuer(), "app", p.requestUri()) + "&redirect_uri="
                + java.net.URLEncoder.encode("http://localhost:9/other", StandardCharsets.UTF_8) + "&state=forged&scope=openid");
        URI back = DevSignIn.signIn(new Browser(), tampered, "ignored@example.com");
        assertThat(back.toString()).startsWith(CB + "?");
        assertThat(Browser.query(back)).containsEntry("state", p.state().getValue());
    }

    @Test
    void authorizeWhenRequestUriOfAnotherClientOrTenantOrExpiredThenPage() throws Exception {
        Pushed p = push(signet.issuer(), "app", SECRET, Map.of());
        ProtocolAssertions.assertErrorPage(new Browser().get(authorizeUrl(signet.issuer(), "other", p.requestUri())), 400,
                "authorize.invalid_request_uri");
        ProtocolAssertions.assertErrorPage(new Browser().get(authorizeUrl(issuerB, "app", p.requestUri())), 400, "authorize.invalid_request_uri");

        Pushed late = push(signet.issuer(), "app", SECRET, Map.of());
        signet.clock.advance(Duration.ofSeconds(61));
        ProtocolAssertions.assertErrorPage(new Browser().get(authorizeUrl(signet.issuer(), "app", late.requestUri())), 400,
                "authorize.invalid_request_uri");
        // a pushed request is no journey step: /authorize/resume does not take its id
        Pushed fresh = push(signet.issuer(), "app", SECRET, Map.of());
        String id = fresh.requestUri().toString().substring("urn:ietf:params:oauth:request_uri:".length());
        HttpResponse<String> resume = new Browser().get(URI.create(signet.url("/authorize/resume") + "?pending=" + id));
        assertThat(resume.statusCode()).isEqualTo(400);
        assertThat(resume.body()).contains("signin.expired");
    }

    /** §2.3: errors at /par are JSON to the client that pushed, never a redirect. */
    @Test
    void parWhenRequestBadThenJsonErrors() {
        String good = "response_type=code&scope=openid&redirect_uri=" + java.net.URLEncoder.encode(CB.toString(), StandardCharsets.UTF_8);
        assertOAuth(postPar(signet.issuer(), "app", SECRET, "response_type=code&scope=openid&redirect_uri=http%3A%2F%2Fevil%2Fcb"),
                400, "invalid_request");
        assertOAuth(postPar(signet.issuer(), "app", SECRET, good.replace("scope=openid", "scope=email")), 400, "invalid_scope");
        assertOAuth(postPar(signet.issuer(), "app", SECRET, good + "&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax"), 400,
                "invalid_request");
        // last: a failed authentication starts the client's back-off (README "Rate limits"); a client_id in the form that
        // is not the authenticated client's fails the authentication itself (§2.1)
        assertOAuth(postPar(signet.issuer(), "app", SECRET, good + "&client_id=other"), 401, "invalid_client");
        assertOAuth(postPar(issuerB, "app", "other-secret-0123456789", good), 401, "invalid_client");
        assertOAuth(postPar(signet.issuer(), "app", "wrong-secret-0123456789", good), 401, "invalid_client");
    }

    /** §6: a client that requires PAR gets invalid_request for a request that did not come through /par. */
    @Test
    void authorizeWhenClientRequiresParAndRequestNotPushedThenInvalidRequestElseServed() throws Exception {
        RelyingParty strict = new RelyingParty(signet, "strict", Optional.of("strict-secret-0123456789"), CB);
        RelyingParty.Authorization direct = strict.authorize("openid", Map.of());
        ProtocolAssertions.assertErrorRedirect(new Browser().get(direct.url()), signet, CB, "invalid_request", Optional.of(direct.state()));
        // Signet's own marker of a pushed request, sent by the browser, does not pass for one
        RelyingParty.Authorization marked = strict.authorize("openid", Map.of("pushed_authorization_request", "1"));
        ProtocolAssertions.assertErrorRedirect(new Browser().get(marked.url()), signet, CB, "invalid_request", Optional.of(marked.state()));

        Pushed p = push(signet.issuer(), "strict", "strict-secret-0123456789", Map.of());
        Map<String, String> back = DevSignIn.code(authorizeUrl(signet.issuer(), "strict", p.requestUri()), "strict@example.com");
        assertThat(strict.exchange(back.get("code"), p.verifier().getValue()).statusCode()).isEqualTo(200);
    }

    /**
     * The parameters Signet keeps in a pending authorization for itself (a pushed request's marker, a device
     * authorization's id) are dropped from a browser's /authorize: a sign-in with them resumes as the ordinary
     * authorization request it is, with a code for the client (not a device approval, not a refusal).
     */
    @Test
    void authorizeWhenBrowserSendsSignetsReservedParametersThenIgnored() {
        RelyingParty.Authorization a = app.authorize("openid", Map.of("device_authorization", "someone-elses-device",
                "pushed_authorization_request", "1"));
        Map<String, String> back = DevSignIn.code(a.url(), "reserved@example.com");
        assertThat(back).containsEntry("state", a.state()).containsKey("code");
        assertThat(app.exchange(back.get("code"), a.verifier()).statusCode()).isEqualTo(200);
    }

    @Test
    void discoveryWhenReadThenListsTheParEndpoint() {
        HttpResponse<String> d = new Browser().get(URI.create(signet.issuer() + "/.well-known/openid-configuration"));
        assertThat(RelyingParty.json(d).path("pushed_authorization_request_endpoint").asString()).isEqualTo(signet.issuer() + "/par");
        assertThat(RelyingParty.json(d).path("require_pushed_authorization_requests").asBoolean(true)).isFalse();
    }

    static void assertOAuth(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body() + " " + r.headers().firstValue("X-Correlation-Id").map(id -> LOGS.detail(id)).orElse("")).isEqualTo(status);
        assertThat(RelyingParty.json(r).path("error").asString()).as(r.body()).isEqualTo(error);
        assertThat(r.headers().firstValue("Location")).isEmpty();
    }
}
