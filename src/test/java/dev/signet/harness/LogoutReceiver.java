package dev.signet.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A relying party's {@code backchannel_logout_uri} (Back-Channel Logout 1.0 §2.5): a JDK HttpServer
 * that takes {@code logout_token=…} form POSTs. While {@link #down} it answers 503 (as an
 * application being deployed would), otherwise 200 and keeps the token.
 */
public final class LogoutReceiver implements AutoCloseable {

    private final HttpServer server;
    public final AtomicBoolean down = new AtomicBoolean();
    /** Every POST, accepted or not. */
    public final AtomicInteger attempts = new AtomicInteger();
    /** The logout tokens accepted (answered 200), in order. */
    public final List<String> tokens = new CopyOnWriteArrayList<>();
    /** The Content-Type of every POST. */
    public final List<String> contentTypes = new CopyOnWriteArrayList<>();

    public LogoutReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/backchannel-logout", x -> {
            attempts.incrementAndGet();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            contentTypes.add(String.valueOf(x.getRequestHeaders().getFirst("Content-Type")));
            if (down.get() || !x.getRequestMethod().equals("POST")) {
                x.sendResponseHeaders(503, -1);
                x.close();
                return;
            }
            for (String pair : body.split("&")) {
                String[] kv = pair.split("=", 2);
                if (kv.length == 2 && kv[0].equals("logout_token")) {
                    tokens.add(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
                }
            }
            x.getResponseHeaders().add("Cache-Control", "no-store");
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/backchannel-logout");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
