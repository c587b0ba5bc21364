package dev.signet.app;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The upstream HTTP client, built on first use (issue 16, start-up): building the JDK's client loads
 * the default {@link SSLContext} and the trust store, ~50 ms of a start's CPU that no request needs
 * before the first upstream call. {@link Signet#start} builds it on a background thread right after
 * the listener is up, so that call normally finds it ready; a call before that builds it (once).
 */
final class LazyHttpClient extends HttpClient {

    private final Supplier<HttpClient> build;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile HttpClient client;

    LazyHttpClient(Supplier<HttpClient> build) {
        this.build = build;
    }

    /** The client, built now if nobody has yet. */
    HttpClient get() {
        HttpClient c = client;
        if (c == null) {
            lock.lock();
            try {
                c = client;
                if (c == null) {
                    c = build.get();
                    client = c;
                }
            } finally {
                lock.unlock();
            }
        }
        return c;
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return get().cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return get().connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return get().followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return get().proxy();
    }

    @Override
    public SSLContext sslContext() {
        return get().sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return get().sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return get().authenticator();
    }

    @Override
    public Version version() {
        return get().version();
    }

    @Override
    public Optional<Executor> executor() {
        return get().executor();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
        return get().send(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return get().sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> push) {
        return get().sendAsync(request, handler, push);
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return get().newWebSocketBuilder();
    }

    /** Closing a client that was never built builds nothing. */
    @Override
    public void shutdown() {
        HttpClient c = client;
        if (c != null) {
            c.shutdown();
        }
    }

    @Override
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        HttpClient c = client;
        return c == null || c.awaitTermination(duration);
    }

    @Override
    public boolean isTerminated() {
        HttpClient c = client;
        return c == null || c.isTerminated();
    }

    @Override
    public void shutdownNow() {
        HttpClient c = client;
        if (c != null) {
            c.shutdownNow();
        }
    }

    @Override
    public void close() {
        HttpClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
