package dev.signet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.signet.config.RateLimitSettings;
import dev.signet.config.ServerSettings;
import dev.signet.harness.Browser;
import dev.signet.harness.ErrorPage;
import dev.signet.harness.SignetHarness;
import dev.signet.observe.AccessLog;
import dev.signet.observe.HttpObserver;
import dev.signet.observe.SignetMetrics;
import dev.signet.observe.Tracing;
import dev.signet.ratelimit.RateLimits;
import dev.signet.tenant.Urls.Path;
import dev.signet.web.pages.Pages;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Routes mount themselves (web.Mount) and discovery lists endpoints from the same path enum: every
 * endpoint the metadata names is answered by a mounted route (not the 404 catch-all), the RFC 8414
 * path serves the same document, and the route label of spans is the mounted pattern, never the raw
 * path (an unknown path is {@code /*}).
 */
class MountedRoutesTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");

    static SignetHarness signet;
    static InMemorySpanExporter spans;
    static final Browser BROWSER = new Browser();

    @BeforeAll
    static void start() {
        spans = InMemorySpanExporter.create();
        signet = SignetHarness.start(SignetHarness.server() + """
                tenants:
                  - name: default
                    connections:
                      - id: dev
                        kind: dev-unsafe
                """, Map.of(), List.of(spans));
    }

    @AfterAll
    static void stop() {
        signet.close();
    }

    static JsonNode metadata(String path) {
        HttpResponse<String> r = BROWSER.get(signet.url(path));
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void discoveryWhenServedThenEveryEndpointItNamesIsMountedAtItsPath() {
        JsonNode m = metadata("/.well-known/openid-configuration");
        Map<String, String> endpoints = m.properties().stream()
                .filter(e -> e.getKey().endsWith("_endpoint") || e.getKey().equals("jwks_uri"))
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().asString()));

        String issuer = signet.issuer().toString();
        assertThat(endpoints).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("pushed_authorization_request_endpoint", issuer + "/par"),
                Map.entry("authorization_endpoint", issuer + "/authorize"),
                Map.entry("token_endpoint", issuer + "/token"),
                Map.entry("userinfo_endpoint", issuer + "/userinfo"),
                Map.entry("jwks_uri", issuer + "/jwks"),
                Map.entry("introspection_endpoint", issuer + "/introspect"),
                Map.entry("revocation_endpoint", issuer + "/revoke"),
                Map.entry("device_authorization_endpoint", issuer + "/device_authorization"),
                Map.entry("end_session_endpoint", issuer + "/logout")));
        Set<String> postOnly = Set.of("token_endpoint", "introspection_endpoint", "revocation_endpoint", "device_authorization_endpoint",
                "pushed_authorization_request_endpoint");
        endpoints.forEach((name, url) -> {
            // the client-authenticated endpoints take only POST; the others answer GET (with an error for a bare request)
            HttpResponse<String> r = postOnly.contains(name)
                    ? BROWSER.postForm(URI.create(url), Map.of())
                    : BROWSER.get(URI.create(url));
            assertThat(r.statusCode()).as(name + " " + r.body()).isNotEqualTo(404);
        });
    }

    @Test
    void oauthMetadataWhenRequestedThenSameDocumentAsOpenIdConfiguration() {
        assertThat(metadata("/.well-known/oauth-authorization-server")).isEqualTo(metadata("/.well-known/openid-configuration"));
    }

    @Test
    void spansWhenRequestsServedThenRouteIsTheMountedPatternNeverTheRawPath() {
        BROWSER.get(signet.url("/assets/nothing.css"));
        BROWSER.get(signet.url("/signin/nope?pending=x"));
        BROWSER.get(signet.url("/callback/nope?state=s&code=c"));
        BROWSER.send(HttpRequest.newBuilder(signet.url("/no/such/page")).DELETE());
        HttpResponse<String> unknown = BROWSER.get(signet.url("/no/such/page"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(ErrorPage.of(unknown).reason()).isEqualTo("not_found");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Set<String> routes = spans.getFinishedSpanItems().stream().map(s -> s.getAttributes().get(ROUTE))
                    .filter(r -> r != null).collect(Collectors.toSet());
            assertThat(routes).contains("/assets/{name}", "/signin/{connection}", "/callback/{connection}", "/*")
                    .noneMatch(r -> r.contains("nope") || r.contains("such") || r.contains("nothing"));
        });
    }

    /** A handler that hits a class missing from the jar (a LinkageError, not an exception) still answers through the error model. */
    @Test
    void handlerWhenLinkageErrorThen500WithReasonAndCorrelationId() {
        Mount broken = () -> List.of(Route.get(Path.TOKEN, x -> {
            throw new NoClassDefFoundError("com/google/crypto/tink/subtle/Ed25519Verify");
        }));
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, URI.create("http://localhost:0"), List.of(), Duration.ofSeconds(5),
                Duration.ZERO, 0, "auto");
        SignetHttp.Observers observers = new SignetHttp.Observers(new HttpObserver(Tracing.disabled(), new AccessLog(false), () -> "id"),
                new SignetMetrics());
        try (SignetHttp http = SignetHttp.start(settings, () -> signet.app().snapshot().tenants(),
                new RateLimits(RateLimitSettings.defaults(), Clock.systemUTC()), new Pages(), List.of(broken), observers)) {
            HttpResponse<String> r = BROWSER.get(URI.create("http://localhost:" + http.port() + "/token"));
            assertThat(r.statusCode()).isEqualTo(500);
            assertThat(ErrorPage.of(r).reason()).isEqualTo("internal");
            assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        }
    }

    /**
     * A route's declared surface is the only place that makes its errors JSON: a route on a path no
     * list knows ({@code /callback/{id}}, a page path elsewhere), declared {@link Surface#TOKEN}, answers
     * JSON when its handler fails, when the request line cannot be read, and when asked with another
     * method (the catch-all); a path no route names stays a page unless the client accepts only JSON.
     */
    @Test
    void routeDeclaredJsonWhenItsRequestFailsAnywhereThenJsonWithoutAnyPrefixList() {
        Mount api = () -> List.of(Route.post(Path.CALLBACK, x -> {
            throw dev.signet.ProtocolException.of(dev.signet.Reason.INVALID_REQUEST, "nope", "test");
        }).withParam("id").withSurface(Surface.TOKEN));
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, URI.create("http://localhost:0"), List.of(), Duration.ofSeconds(5),
                Duration.ZERO, 0, "auto");
        SignetHttp.Observers observers = new SignetHttp.Observers(new HttpObserver(Tracing.disabled(), new AccessLog(false), () -> "id"),
                new SignetMetrics());
        try (SignetHttp http = SignetHttp.start(settings, () -> signet.app().snapshot().tenants(),
                new RateLimits(RateLimitSettings.defaults(), Clock.systemUTC()), new Pages(), List.of(api), observers)) {
            Map<String, String> host = Map.of("Host", "localhost:" + http.port(), "Content-Type", "application/x-www-form-urlencoded");
            for (String[] request : new String[][] {{"POST", "/callback/abc"}, {"GET", "/callback/abc"}, {"POST", "/callback/abc?x=%zz"}}) {
                dev.signet.harness.RawHttp.Response r = dev.signet.harness.RawHttp.send(http.port(), request[0], request[1], host, "a=b");
                assertThat(r.head()).as(request[0] + " " + request[1]).containsIgnoringCase("content-type: application/json");
                assertThat(JSON.readTree(r.body()).path("error").asString()).as(request[0] + " " + request[1]).isEqualTo("invalid_request");
            }
            dev.signet.harness.RawHttp.Response page = dev.signet.harness.RawHttp.get(http.port(), "/callback/abc/deeper", host);
            assertThat(page.status()).isEqualTo(404);
            assertThat(page.head()).containsIgnoringCase("content-type: text/html");
            Map<String, String> wantsJson = Map.of("Host", "localhost:" + http.port(), "Accept", "application/json");
            dev.signet.harness.RawHttp.Response json = dev.signet.harness.RawHttp.get(http.port(), "/no/such/api", wantsJson);
            assertThat(json.status()).isEqualTo(404);
            assertThat(JSON.readTree(json.body()).path("error").asString()).isEqualTo("invalid_request");
        }
    }

    /** Mounts written in parallel may claim the same route: the server refuses to start rather than serve one of them silently. */
    @Test
    void startWhenTwoMountsDeclareTheSameMethodAndPathThenRefused() {
        Mount first = () -> List.of(Route.post(Path.TOKEN, x -> x.text(200, "first")));
        Mount second = () -> List.of(Route.get(Path.TOKEN, x -> x.text(200, "get")), Route.post(Path.TOKEN, x -> x.text(200, "second")));
        ServerSettings settings = new ServerSettings("127.0.0.1", 0, URI.create("http://localhost:0"), List.of(), Duration.ofSeconds(5),
                Duration.ZERO, 0, "auto");
        SignetHttp.Observers observers = new SignetHttp.Observers(new HttpObserver(Tracing.disabled(), new AccessLog(false), () -> "id"),
                new SignetMetrics());

        assertThatThrownBy(() -> SignetHttp.start(settings, () -> signet.app().snapshot().tenants(),
                new RateLimits(RateLimitSettings.defaults(), Clock.systemUTC()), new Pages(), List.of(first, second), observers).close())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two mounts declare POST /token");
    }
}
