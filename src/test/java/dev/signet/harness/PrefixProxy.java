package dev.signet.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;

/**
 * A minimal reverse proxy like one in front of Signet under a path prefix: it strips the prefix
 * ({@code /auth/authorize} → {@code /authorize}) and forwards to Signet with {@code
 * X-Forwarded-Host/Proto/Prefix}, passing Location and Set-Cookie back untouched (Signet builds them
 * for the public URL already). A path outside every prefix gets 404, as at a real proxy.
 */
public final class PrefixProxy implements AutoCloseable {

    private static final Set<String> PASS_UP = Set.of("cookie", "content-type", "authorization", "accept");
    private static final Set<String> PASS_DOWN = Set.of("location", "set-cookie", "content-type", "cache-control", "www-authenticate");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile int target;
    private volatile List<String> prefixes = List.of();

    public PrefixProxy() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Where to forward (Signet's port) and which prefixes to strip; set once Signet runs. */
    public void forwardTo(int signetPort, List<String> pathPrefixes) {
        this.target = signetPort;
        this.prefixes = List.copyOf(pathPrefixes);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String prefix = prefixes.stream().filter(p -> path.startsWith(p + "/")).findFirst().orElse(null);
            if (prefix == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String query = ex.getRequestURI().getRawQuery();
            URI to = URI.create("http://127.0.0.1:" + target + path.substring(prefix.length()) + (query == null ? "" : "?" + query));
            HttpRequest.Builder b = HttpRequest.newBuilder(to);
            ex.getRequestHeaders().forEach((k, vs) -> {
                if (PASS_UP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                    vs.forEach(v -> b.header(k, v));
                }
            });
            b.header("X-Forwarded-Host", ex.getRequestHeaders().getFirst("Host"));
            b.header("X-Forwarded-Proto", "http");
            b.header("X-Forwarded-Prefix", prefix);
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            b.method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            r.headers().map().forEach((k, vs) -> {
                if (PASS_DOWN.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                    vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                }
            });
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
