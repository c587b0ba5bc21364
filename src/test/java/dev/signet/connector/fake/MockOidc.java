package dev.signet.connector.fake;

import com.nimbusds.oauth2.sdk.TokenRequest;
import dev.signet.connector.ConnectorContract.Fault;
import dev.signet.connector.ConnectorContract.Person;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.KeyProvider;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.http.OAuth2HttpRequest;
import no.nav.security.mock.oauth2.http.OAuth2HttpResponse;
import no.nav.security.mock.oauth2.http.Route;
import okhttp3.Headers;

/**
 * mock-oauth2-server as a scriptable OIDC upstream for the {@code ConnectorContract}: the next
 * sign-in's person is set, not queued, so a sign-in that never reaches the token endpoint (a
 * rejected callback) leaves nothing behind for the next test. Faults answer the next token
 * request through an extra mock-oauth2-server route.
 */
public final class MockOidc implements AutoCloseable {

    private final MockOAuth2Server server;
    private volatile Person next = new Person("nobody", "nobody@example.com", false, "Nobody");
    private volatile Map<String, Object> extraClaims = Map.of();
    private final TokenFaults faults = new TokenFaults();

    public MockOidc(String... issuerIds) {
        Set<OAuth2TokenCallback> callbacks = Stream.of(issuerIds).map(Scripted::new).collect(Collectors.toSet());
        server = new MockOAuth2Server(new OAuth2Config(false, null, null, false,
                new OAuth2TokenProvider(new KeyProvider(), () -> Instant.now()), callbacks, new MockWebServerWrapper(null)), faults);
        server.start();
    }

    public String issuer(String issuerId) {
        return server.issuerUrl(issuerId).toString();
    }

    public String url(String path) {
        return server.url(path).toString();
    }

    public String base() {
        String s = server.baseUrl().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public void nextSignIn(Person p) {
        nextSignIn(p, Map.of());
    }

    /** {@code claims}: further claims of this sign-in's ID token (a preset's {@code hd}, say). */
    public void nextSignIn(Person p, Map<String, Object> claims) {
        next = p;
        extraClaims = claims;
    }

    /** The next token response lacks {@code id_token} (and has an unknown member). */
    public String nextTokenResponseWithoutIdToken() {
        faults.next.set(new OAuth2HttpResponse(Headers.of("Content-Type", "application/json"), 200,
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"unknown\":{\"a\":1}}", null));
        return "id_token";
    }

    public void failNextCall(Fault fault) {
        faults.next.set(switch (fault) {
            case SERVER_ERROR -> new OAuth2HttpResponse(Headers.of("Content-Type", "text/html"), 503, "<html>down</html>", null);
            case TIMEOUT -> HANG;
        });
    }

    private static final OAuth2HttpResponse HANG = new OAuth2HttpResponse(Headers.of(), 504, "", null);

    /**
     * Answers the next token request as scripted. {@link #HANG} holds it for longer than the
     * connections' 2 s timeout, but not until the server closes: mock-oauth2-server dispatches one
     * request at a time, so a longer hang would stall the next test.
     */
    private static final class TokenFaults implements Route {
        final AtomicReference<OAuth2HttpResponse> next = new AtomicReference<>();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public boolean match(OAuth2HttpRequest request) {
            return next.get() != null && request.getUrl().encodedPath().endsWith("/token");
        }

        @Override
        public OAuth2HttpResponse invoke(OAuth2HttpRequest request) {
            OAuth2HttpResponse r = next.getAndSet(null);
            if (r == HANG) {
                try {
                    closed.await(3, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return r == null ? HANG : r;
        }
    }

    @Override
    public void close() {
        faults.closed.countDown();
        server.shutdown();
    }

    private final class Scripted implements OAuth2TokenCallback {
        private final String issuerId;

        Scripted(String issuerId) {
            this.issuerId = issuerId;
        }

        @Override
        public String issuerId() {
            return issuerId;
        }

        @Override
        public String subject(TokenRequest request) {
            return next.subject();
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest request) {
            return List.of("signet");
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            Person p = next;
            Map<String, Object> c = new HashMap<>(p.extra());
            c.put("email", p.email());
            c.put("email_verified", p.emailVerified());
            c.put("name", p.name());
            c.putAll(extraClaims);
            return c;
        }

        @Override
        public long tokenExpiry() {
            return 3600;
        }
    }
}
