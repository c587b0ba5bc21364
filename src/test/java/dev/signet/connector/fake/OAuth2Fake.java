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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain OAuth 2.0 upstream on a real port (RFC 6749 §4.1 with PKCE): {@code /authorize}
 * redirects back at once, {@code /token} checks client authentication (Basic), the code, the
 * redirect URI and the PKCE verifier and answers §5.1 JSON, {@code /api/me} answers a nested JSON
 * profile ({@code {"data": {"id", "attributes": {"mail", "mail_confirmed", "display_name", "avatar"}}}})
 * that a connection maps by JSON pointer.
 */
public final class OAuth2Fake implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private record Grant(Person person, String redirectUri, String challenge) {}

    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Person> tokens = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Person next = new Person("nobody", "nobody@example.com", false, "Nobody");
    private volatile Optional<String> iss = Optional.empty();
    private final AtomicReference<Fault> tokenFault = new AtomicReference<>();
    private final AtomicReference<String> profileLacks = new AtomicReference<>();

    public OAuth2Fake() {
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

    public void nextSignIn(Person p) {
        next = p;
    }

    /** The {@code iss} the callback carries from now on (none by default). */
    public void sendIss(Optional<String> value) {
        iss = value;
    }

    /** The next profile lacks {@code /data/id}; returns the pointer. */
    public String nextProfileLacksId() {
        profileLacks.set("id");
        return "/data/id";
    }

    public void failNextTokenRequest(Fault fault) {
        tokenFault.set(fault);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            switch (x.getRequestURI().getPath()) {
                case "/authorize" -> authorize(x);
                case "/token" -> token(x);
                case "/api/me" -> me(x);
                default -> send(x, 404, "{\"error\":\"not_found\"}");
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
            send(x, 500, "{\"error\":\"server_error\"}");
            return;
        }
        if (fault == Fault.TIMEOUT) {
            try {
                closed.await(3, TimeUnit.SECONDS); // longer than the connection's timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Map<String, String> form = Browser.query(URI.create("?" + new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        String basic = "Basic " + Base64.getEncoder().encodeToString("signet:upstream-secret".getBytes(StandardCharsets.UTF_8));
        if (!basic.equals(x.getRequestHeaders().getFirst("Authorization"))) {
            send(x, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        Grant g = codes.remove(form.getOrDefault("code", ""));
        if (g == null || !g.redirectUri().equals(form.get("redirect_uri"))
                || !RelyingParty.s256(form.getOrDefault("code_verifier", "")).equals(g.challenge())) {
            send(x, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        String token = RelyingParty.random();
        tokens.put(token, g.person());
        send(x, 200, JSON.writeValueAsString(Map.of("access_token", token, "token_type", "Bearer", "expires_in", 3600,
                "refresh_token", RelyingParty.random(), "scope", "profile")));
    }

    private void me(HttpExchange x) throws IOException {
        String auth = x.getRequestHeaders().getFirst("Authorization");
        Person p = auth == null ? null : tokens.get(auth.replaceFirst("^Bearer ", ""));
        if (p == null) {
            x.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            send(x, 401, "{\"error\":\"invalid_token\"}");
            return;
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("mail", p.email());
        attributes.put("mail_confirmed", p.emailVerified());
        attributes.put("display_name", p.name());
        attributes.put("avatar", "https://cdn.example.com/" + p.subject() + ".png");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("type", "user");
        data.put("id", p.subject());
        data.put("attributes", attributes);
        if ("id".equals(profileLacks.getAndSet(null))) {
            data.remove("id");
        }
        Map<String, Object> body = new LinkedHashMap<>(p.extra());
        body.put("data", data);
        body.put("meta", Map.of("api_version", "2024-01"));
        send(x, 200, JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/json");
        x.sendResponseHeaders(status, b.length);
        x.getResponseBody().write(b);
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
    }
}
