package dev.signet.connector.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.connector.ConnectorContract.Fault;
import dev.signet.connector.ConnectorContract.Person;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small GitHub on a real port, answering with the shapes GitHub documents
 * (docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps and the REST
 * "users" pages): {@code /login/oauth/authorize} redirects back at once with {@code code}, {@code state}
 * and, as GitHub does since 2025, {@code iss}; {@code /login/oauth/access_token} answers JSON or a
 * form by {@code Accept}, and a bad code with HTTP 200 and {@code error}; {@code /user},
 * {@code /user/emails}, {@code /user/orgs}, {@code /user/teams} with a bearer token, each with more
 * fields than Signet reads. The REST API is served both at the root (api.github.com) and under
 * {@code /api/v3} (GitHub Enterprise Server).
 */
public final class GitHubFake implements AutoCloseable {

    public static final String GITHUB_ISSUER = "https://github.com/login/oauth";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What a code stands for. */
    private record Grant(Person person, String redirectUri, String challenge) {}

    /** A signed-in user's memberships: organisation logins and "org/team-slug" names. */
    public record Memberships(List<String> orgs, List<String> teams) {}

    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Person> tokens = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Person next = new Person("0", "nobody@example.com", false, "Nobody");
    private volatile Memberships memberships = new Memberships(List.of(), List.of());
    private volatile Optional<String> iss = Optional.of(GITHUB_ISSUER);
    private final AtomicReference<Fault> tokenFault = new AtomicReference<>();
    private final AtomicReference<String> userLacks = new AtomicReference<>();

    public GitHubFake() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code subject} must be digits: GitHub ids are numbers. */
    public void nextSignIn(Person p, Memberships m) {
        next = p;
        memberships = m;
    }

    /** The {@code iss} the callback carries from now on; empty: none (GitHub before 2025). */
    public void sendIss(Optional<String> value) {
        iss = value;
    }

    /** The next {@code /user} answer lacks {@code field}. */
    public void nextUserLacks(String field) {
        userLacks.set(field);
    }

    /** The next token request fails so. */
    public void failNextTokenRequest(Fault fault) {
        tokenFault.set(fault);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String api = path.startsWith("/api/v3/") ? path.substring("/api/v3".length()) : path;
            switch (api) {
                case "/login/oauth/authorize" -> authorize(x);
                case "/login/oauth/access_token" -> token(x);
                case "/user", "/user/emails", "/user/orgs", "/user/teams" -> api(x, api);
                default -> send(x, 404, "application/json", "{\"message\":\"Not Found\"}");
            }
        }
    }

    private void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = Browser.query(x.getRequestURI());
        String code = RelyingParty.random();
        codes.put(code, new Grant(next, q.get("redirect_uri"), q.getOrDefault("code_challenge", "")));
        Map<String, String> back = new LinkedHashMap<>();
        back.put("code", code);
        back.put("state", q.get("state"));
        iss.ifPresent(i -> back.put("iss", i));
        x.getResponseHeaders().set("Location", q.get("redirect_uri") + "?" + Browser.form(back));
        x.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange x) throws IOException {
        Fault fault = tokenFault.getAndSet(null);
        if (fault == Fault.SERVER_ERROR) {
            send(x, 502, "text/html", "<html><body>Unicorn! Something went wrong.</body></html>");
            return;
        }
        if (fault == Fault.TIMEOUT) {
            await(); // longer than the connection's timeout
        }
        Map<String, String> form = Browser.query(URI.create("?" + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        Grant g = codes.remove(form.getOrDefault("code", ""));
        Map<String, Object> body = new LinkedHashMap<>();
        if (g == null || !g.redirectUri().equals(form.get("redirect_uri")) || !"signet".equals(form.get("client_id"))
                || !"upstream-secret".equals(form.get("client_secret"))
                || !RelyingParty.s256(form.getOrDefault("code_verifier", "")).equals(g.challenge())) {
            body.put("error", "bad_verification_code");
            body.put("error_description", "The code passed is incorrect or expired.");
            body.put("error_uri", "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors");
        } else {
            String token = "gho_" + RelyingParty.random();
            tokens.put(token, g.person());
            body.put("access_token", token);
            body.put("scope", "read:user,user:email");
            body.put("token_type", "bearer");
        }
        boolean json = x.getRequestHeaders().getOrDefault("Accept", List.of()).stream().anyMatch(a -> a.contains("application/json"));
        if (json) {
            send(x, 200, "application/json; charset=utf-8", JSON.writeValueAsString(body));
        } else {
            Map<String, String> f = new LinkedHashMap<>();
            body.forEach((k, v) -> f.put(k, v.toString()));
            send(x, 200, "application/x-www-form-urlencoded; charset=utf-8", Browser.form(f));
        }
    }

    private void api(HttpExchange x, String path) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        Person p = auth == null ? null : tokens.get(auth.replaceFirst("^(Bearer|token) ", ""));
        if (p == null) {
            send(x, 401, "application/json", "{\"message\":\"Bad credentials\",\"documentation_url\":\"https://docs.github.com/rest\"}");
            return;
        }
        String login = p.name().toLowerCase().replace(' ', '-');
        Object body = switch (path) {
            case "/user" -> user(p, login);
            case "/user/emails" -> List.of(
                    Map.of("email", login + "@users.noreply.github.com", "primary", false, "verified", true, "visibility", "private"),
                    Map.of("email", p.email(), "primary", true, "verified", p.emailVerified(), "visibility", "public"));
            case "/user/orgs" -> memberships.orgs().stream().map(o -> Map.of("login", o, "id", 1000 + o.length(),
                    "url", "https://api.github.com/orgs/" + o, "description", "")).toList();
            default -> memberships.teams().stream().map(t -> Map.of("slug", t.substring(t.indexOf('/') + 1), "name", t,
                    "permission", "pull", "organization", Map.of("login", t.substring(0, t.indexOf('/')), "id", 7))).toList();
        };
        send(x, 200, "application/json; charset=utf-8", JSON.writeValueAsString(body));
    }

    private Map<String, Object> user(Person p, String login) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("login", login);
        u.put("id", Long.parseLong(p.subject()));
        u.put("node_id", "MDQ6VXNlcjE=");
        u.put("avatar_url", "https://avatars.githubusercontent.com/u/" + p.subject() + "?v=4");
        u.put("type", "User");
        u.put("site_admin", false);
        u.put("name", p.name());
        u.put("company", null);
        u.put("email", null); // GitHub shows only a public address here
        u.put("plan", Map.of("name", "free", "space", 976562499));
        u.putAll(p.extra());
        String lacks = userLacks.getAndSet(null);
        if (lacks != null) {
            u.remove(lacks);
        }
        return u;
    }

    private void await() {
        try {
            closed.await(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    /** Numeric GitHub-like ids for contract persons. */
    public static String numericId(String subject) {
        return Long.toString(Math.abs((long) subject.hashCode()) + 1);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }

    /** For tests that need an empty list. */
    public static Memberships none() {
        return new Memberships(new ArrayList<>(), List.of());
    }
}
