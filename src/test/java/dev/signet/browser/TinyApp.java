package dev.signet.browser;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.signet.harness.Browser;
import dev.signet.harness.RelyingParty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A tiny application on its own origin ({@code http://127.0.0.1:<port>}, while Signet is on
 * {@code http://localhost:<port>}): {@code /login} sends the browser to Signet's {@code /authorize}
 * (PKCE, state, nonce), {@code /cb} receives the code, exchanges it at {@code /token}, validates the
 * ID token against the JWKS and shows who signed in, as a page a person reads.
 */
final class TinyApp implements AutoCloseable {

    final int port;
    private final HttpServer server;
    private final Map<String, RelyingParty.Authorization> started = new ConcurrentHashMap<>();
    private volatile RelyingParty rp;

    private TinyApp(int port, HttpServer server) {
        this.port = port;
        this.server = server;
    }

    /** Listens on a free port on 127.0.0.1; call {@link #client} once Signet runs. */
    static TinyApp start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            TinyApp app = new TinyApp(s.getAddress().getPort(), s);
            s.createContext("/login", app::login);
            s.createContext("/cb", app::callback);
            s.createContext("/bye", app::signedOut);
            s.start();
            return app;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI redirectUri() {
        return URI.create("http://127.0.0.1:" + port + "/cb");
    }

    /** Where Signet sends the browser after signing out (a {@code post_logout_redirect_uri}). */
    URI byeUri() {
        return URI.create("http://127.0.0.1:" + port + "/bye");
    }

    URI loginUrl() {
        return URI.create("http://127.0.0.1:" + port + "/login");
    }

    /** Registers the app as Signet's client {@code clientId} (confidential, secret {@code secret}). */
    void client(URI issuer, String clientId, String secret) {
        rp = new RelyingParty(issuer, clientId, Optional.of(secret), redirectUri());
    }

    private void login(HttpExchange x) throws IOException {
        RelyingParty.Authorization a = rp.authorize("openid email profile", Map.of());
        started.put(a.state(), a);
        x.getResponseHeaders().add("Location", a.url().toString());
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    private void callback(HttpExchange x) throws IOException {
        Map<String, String> q = Browser.query(x.getRequestURI());
        RelyingParty.Authorization a = started.remove(q.getOrDefault("state", ""));
        String body;
        if (q.containsKey("error")) {
            body = "<h1>Tiny App: sign-in failed</h1><p id=\"error\">" + esc(q.get("error")) + "</p>";
        } else if (a == null) {
            body = "<h1>Tiny App: unknown sign-in</h1><p>No sign-in of this browser has this state.</p>";
        } else {
            try {
                HttpResponse<String> token = rp.exchange(q.getOrDefault("code", ""), a.verifier());
                if (token.statusCode() != 200) {
                    body = "<h1>Tiny App: code exchange failed</h1><pre>" + esc(token.body()) + "</pre>";
                } else {
                    JWTClaimsSet claims = rp.validateIdToken(RelyingParty.json(token).path("id_token").asString(), a.nonce(),
                            JWSAlgorithm.RS256);
                    body = "<h1>Tiny App: welcome, " + esc(String.valueOf(claims.getClaim("name"))) + "</h1>"
                            + "<p>Signed in as <span id=\"email\">" + esc(String.valueOf(claims.getClaim("email"))) + "</span>"
                            + " (subject <code>" + esc(claims.getSubject()) + "</code>), ID token checked against Signet's JWKS.</p>";
                }
            } catch (Exception e) {
                body = "<h1>Tiny App: invalid ID token</h1><pre>" + esc(e.toString()) + "</pre>";
            }
        }
        byte[] bytes = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Tiny App</title></head><body>" + body
                + "</body></html>").getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        x.sendResponseHeaders(200, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private void signedOut(HttpExchange x) throws IOException {
        String state = Browser.query(x.getRequestURI()).getOrDefault("state", "");
        byte[] bytes = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Tiny App</title></head><body>"
                + "<h1>Tiny App: signed out</h1><p>state <code id=\"state\">" + esc(state) + "</code></p></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
        x.sendResponseHeaders(200, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
