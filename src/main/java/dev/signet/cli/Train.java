package dev.signet.cli;

import dev.signet.Ids;
import dev.signet.app.Signet;
import dev.signet.config.SignetConfig;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code signet train}: starts Signet on a temporary database and a free loopback port, walks the
 * whole sign-in journey a few times through the dev connection and the demo app (every page, the
 * token endpoint, JWKS, userinfo), then stops. Run under {@code -XX:AOTCacheOutput} it records the
 * JDK 25 ahead-of-time cache that the launcher uses to start Signet in about half the time. It is
 * also a smoke test: it fails (exit 1) when the journey does not end on the demo's claims page.
 */
final class Train {

    private static final Pattern SIGN_IN = Pattern.compile("href=\"([^\"]*/signin/dev[^\"]*)\"");
    private static final Pattern FIELD = Pattern.compile("name=\"(state|nonce|redirect_uri)\" value=\"([^\"]*)\"");
    private static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");

    private Train() {}

    /**
     * {@code dir}: the database directory (kept afterwards); empty: a temporary one, removed afterwards.
     * {@code prepare}: only start and stop on it (creating and migrating the database), no journey. The
     * launcher prepares a directory in one JVM and records the cache in another on the database that
     * then exists: the cache holds what a start on an existing database loads, not the migrations'
     * classes (Flyway: ~420 classes every start would load and never use).
     */
    static int run(Map<String, String> processEnv, Optional<Path> dir, boolean prepare) throws IOException, InterruptedException {
        Path data = dir.isPresent() ? Files.createDirectories(dir.get()) : Files.createTempDirectory("signet-train");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(processEnv);
        env.put("TRAIN_PORT", String.valueOf(port));
        env.put("TRAIN_DATA", data.toString());
        SignetConfig config = Signet.configLoader(env).parse("""
                server: {host: 127.0.0.1, port: "${TRAIN_PORT}", drain: 0s}
                data: {dir: "${TRAIN_DATA}"}
                management: {port: 0}
                probes: {enabled: false}
                tenants:
                  - name: default
                    demo_client: true
                    connections: [{id: dev, kind: dev-unsafe}]
                """, "(train)");
        try (Signet signet = Signet.start(config, new Signet.Options(env, Clock.systemUTC(), Ids.secure()))) {
            for (int i = 0; i < (prepare ? 0 : 20); i++) {
                journey(signet.issuer(), "train" + i + "@example.com");
            }
        } finally {
            if (dir.isEmpty()) {
                delete(data);
            }
        }
        return 0;
    }

    private static void delete(Path data) throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void journey(URI base, String email) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();
        get(http, base.resolve("/"));
        get(http, base.resolve("/.well-known/openid-configuration"));
        HttpResponse<String> page = get(http, base.resolve("/demo"));
        HttpResponse<String> form = get(http, URI.create(find(SIGN_IN, page.body()).replace("&amp;", "&")));
        Map<String, String> fields = new HashMap<>();
        Matcher m = FIELD.matcher(form.body());
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("&amp;", "&"));
        }
        Map<String, String> post = new java.util.LinkedHashMap<>();
        post.put("state", fields.get("state"));
        post.put("nonce", fields.get("nonce"));
        post.put("redirect_uri", fields.get("redirect_uri"));
        post.put("name", "Train");
        post.put("email", email);
        String body = dev.signet.tenant.Urls.form(post);
        HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(find(ACTION, form.body())))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (done.statusCode() != 200 || !done.body().contains(email)) {
            throw new IllegalStateException("the training journey did not end on the demo's claims page: HTTP " + done.statusCode());
        }
    }

    private static HttpResponse<String> get(HttpClient http, URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String find(Pattern p, String html) {
        Matcher m = p.matcher(html);
        if (!m.find()) {
            throw new IllegalStateException("training journey: expected " + p + " on the page");
        }
        return m.group(1);
    }

}
