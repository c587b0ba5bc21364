package dev.signet.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where Signet listens, the public base URL it is reached at (the default tenant's issuer), and
 * which reverse proxies may tell it the original host ({@code X-Forwarded-*}).
 *
 * @param publicUrl absolute base URL without a trailing slash, e.g. {@code http://localhost:8080}
 * @param trustedProxies CIDR blocks ({@code 10.0.0.0/8}, {@code ::1/128}) whose forwarded headers
 *     are honoured; validated while loading
 * @param clockSkew how far past its {@code exp} (or before its {@code nbf}) a JWT Signet issued itself
 *     is still accepted when it comes back (an access token at {@code /userinfo}); Signet checks
 *     with its own clock, so only a few seconds of network and rounding are needed
 * @param drain on shutdown, how long {@code /health/ready} answers 503 while the node still serves
 *     every request, so that the load balancer stops sending before the listener closes
 * @param verifiedTokenCache how many of its own access tokens Signet remembers as verified at {@code /userinfo},
 *     {@code /introspect} and {@code /revoke}, so a token's signature is checked once, not at every use (issue 16);
 *     0 turns it off, {@link #AUTO_VERIFIED_TOKEN_CACHE} sizes it from the heap. Revocation is still checked at every use.
 * @param cryptoProvider who computes JWS signatures: {@code auto} (Conscrypt when its native library
 *     loads, else the JDK) or {@code jdk} (issue 16)
 * @param maxConnections how many connections the public listener holds open at once, {@link #AUTO_CONNECTIONS}:
 *     as many as a share of the heap holds ({@code app.MemoryBudget}); a connection beyond it waits in the
 *     kernel's accept queue until one closes
 * @param idleTimeout how long a kept-alive connection with no request stays open
 */
public record ServerSettings(String host, int port, URI publicUrl, List<Cidr> trustedProxies, Duration clockSkew, Duration drain,
        int verifiedTokenCache, String cryptoProvider, int maxConnections, Duration idleTimeout) {

    /** {@code server.crypto_provider}'s values. */
    public static final Set<String> CRYPTO_PROVIDERS = Set.of("auto", "jdk");

    /** {@code server.clock_skew} when not configured. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);
    /** {@code server.drain} when not configured: long enough for a load balancer's health check (every 1–2 s) to notice. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);
    /** The longest {@code server.drain} accepted. */
    public static final Duration MAX_DRAIN = Duration.ofMinutes(5);
    /** The largest {@code server.clock_skew} accepted. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** The most the verified-token cache holds when not configured (~18 MB of claims); fewer on a small heap (app.MemoryBudget). */
    public static final int DEFAULT_VERIFIED_TOKEN_CACHE = 10_000;
    /** {@code server.verified_token_cache} when not configured: a tenth of the heap's worth, at most the default (app.MemoryBudget). */
    public static final int AUTO_VERIFIED_TOKEN_CACHE = -1;
    /** The largest {@code server.verified_token_cache} accepted. */
    public static final int MAX_VERIFIED_TOKEN_CACHE = 1_000_000;
    /** {@code server.max_connections} when not configured: sized from the heap at start. */
    public static final int AUTO_CONNECTIONS = 0;
    /** The largest {@code server.max_connections} accepted. */
    public static final int MAX_CONNECTIONS = 1_000_000;
    /**
     * {@code server.idle_timeout} when not configured: longer than a load balancer's usual idle timeout
     * (AWS ALB's 60 s), so that the balancer, not Signet, closes a pooled connection first (a backend
     * closing it while the balancer reuses it is a 502); nginx's {@code keepalive_timeout} is 75 s too.
     */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    /** The bounds of {@code server.idle_timeout}. */
    public static final Duration MIN_IDLE_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration MAX_IDLE_TIMEOUT = Duration.ofHours(1);

    public ServerSettings {
        trustedProxies = List.copyOf(trustedProxies);
        if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("clock skew must be from 0s to " + MAX_CLOCK_SKEW.toSeconds() + "s: " + clockSkew);
        }
        if (drain.isNegative() || drain.compareTo(MAX_DRAIN) > 0) {
            throw new IllegalArgumentException("drain must be from 0s to " + MAX_DRAIN.toSeconds() + "s: " + drain);
        }
        if (verifiedTokenCache < AUTO_VERIFIED_TOKEN_CACHE || verifiedTokenCache > MAX_VERIFIED_TOKEN_CACHE) {
            throw new IllegalArgumentException("verified token cache must be from 0 to " + MAX_VERIFIED_TOKEN_CACHE + ": " + verifiedTokenCache);
        }
        if (!CRYPTO_PROVIDERS.contains(cryptoProvider)) {
            throw new IllegalArgumentException("crypto provider must be auto or jdk: " + cryptoProvider);
        }
        if (maxConnections < 0 || maxConnections > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("max connections must be from 0 (auto) to " + MAX_CONNECTIONS + ": " + maxConnections);
        }
        if (idleTimeout.compareTo(MIN_IDLE_TIMEOUT) < 0 || idleTimeout.compareTo(MAX_IDLE_TIMEOUT) > 0) {
            throw new IllegalArgumentException("idle timeout must be from 1s to 1h: " + idleTimeout);
        }
    }

    /** With the default verified-token cache, {@code crypto_provider: auto}, 1,000 connections and the default idle timeout. */
    public ServerSettings(String host, int port, URI publicUrl, List<Cidr> trustedProxies, Duration clockSkew, Duration drain) {
        this(host, port, publicUrl, trustedProxies, clockSkew, drain, DEFAULT_VERIFIED_TOKEN_CACHE, "auto");
    }

    /** With 1,000 connections at most and the default idle timeout. */
    public ServerSettings(String host, int port, URI publicUrl, List<Cidr> trustedProxies, Duration clockSkew, Duration drain,
            int verifiedTokenCache, String cryptoProvider) {
        this(host, port, publicUrl, trustedProxies, clockSkew, drain, verifiedTokenCache, cryptoProvider, 1_000, DEFAULT_IDLE_TIMEOUT);
    }

    /** These settings with {@code max_connections} resolved (app.MemoryBudget). */
    public ServerSettings withMaxConnections(int connections) {
        return new ServerSettings(host, port, publicUrl, trustedProxies, clockSkew, drain, verifiedTokenCache, cryptoProvider, connections,
                idleTimeout);
    }

    /** The {@code server:} section. */
    static ServerSettings read(ConfigNode n) {
        n.allowOnly(Set.of("host", "port", "public_url", "trusted_proxies", "clock_skew", "drain", "verified_token_cache", "crypto_provider",
                "max_connections", "idle_timeout"));
        String host = n.optString("host").orElse("127.0.0.1");
        int port = n.integer("port", 8080, 0, 65535);
        Optional<URI> url = n.optUri("public_url");
        if (url.isEmpty() && !loopbackOnly(host) && !n.has("public_url")) {
            n.problem("public_url", "is required when host is not a loopback address (it becomes the issuer)");
        }
        URI publicUrl = url.map(u -> URI.create(stripSlash(u.toString()))).orElse(localhost(port));
        Duration skew = n.duration("clock_skew", DEFAULT_CLOCK_SKEW);
        if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            n.problem("clock_skew", "must be from 0s to " + MAX_CLOCK_SKEW.toSeconds() + "s");
            skew = DEFAULT_CLOCK_SKEW;
        }
        Duration drain = n.durationOrZero("drain", DEFAULT_DRAIN);
        if (drain.isNegative() || drain.compareTo(MAX_DRAIN) > 0) {
            n.problem("drain", "must be from 0s to " + MAX_DRAIN.toMinutes() + "m");
            drain = DEFAULT_DRAIN;
        }
        int verifiedTokens = isAuto(n, "verified_token_cache") ? AUTO_VERIFIED_TOKEN_CACHE
                : n.integer("verified_token_cache", AUTO_VERIFIED_TOKEN_CACHE, 0, MAX_VERIFIED_TOKEN_CACHE);
        String crypto = n.optString("crypto_provider").orElse("auto");
        if (!CRYPTO_PROVIDERS.contains(crypto)) {
            n.problem("crypto_provider", "must be auto or jdk, got '" + crypto + "'");
            crypto = "auto";
        }
        int maxConnections = isAuto(n, "max_connections") ? AUTO_CONNECTIONS : n.integer("max_connections", AUTO_CONNECTIONS, 1, MAX_CONNECTIONS);
        Duration idle = n.duration("idle_timeout", DEFAULT_IDLE_TIMEOUT);
        if (idle.compareTo(MIN_IDLE_TIMEOUT) < 0 || idle.compareTo(MAX_IDLE_TIMEOUT) > 0) {
            n.problem("idle_timeout", "must be from 1s to 1h");
            idle = DEFAULT_IDLE_TIMEOUT;
        }
        return new ServerSettings(host, port, publicUrl, trustedProxies(n), skew, drain, verifiedTokens, crypto, maxConnections, idle);
    }

    /** A bound given as {@code auto}: sized from the heap at start (app.MemoryBudget), as when absent. */
    static boolean isAuto(ConfigNode n, String key) {
        return n.has(key) && n.optString(key).filter("auto"::equals).isPresent();
    }

    private static List<Cidr> trustedProxies(ConfigNode server) {
        List<Cidr> out = new ArrayList<>();
        List<String> raw = server.strings("trusted_proxies");
        for (int i = 0; i < raw.size(); i++) {
            Optional<Cidr> c = Cidr.parse(raw.get(i));
            if (c.isEmpty()) {
                server.problem("trusted_proxies[" + i + "]", "must be an IP address or CIDR block (10.0.0.0/8, ::1/128), got '"
                        + raw.get(i) + "'");
            }
            c.ifPresent(out::add);
        }
        return out;
    }

    /** {@code http://localhost:PORT}, the issuer when Signet listens on loopback and no public_url is set. */
    private static URI localhost(int port) {
        try {
            return new URI("http", null, "localhost", port, null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * True when the listener is bound to a loopback address only: {@code localhost}, {@code ::1} or an
     * IPv4 literal in 127/8. A name that merely starts with "127." (e.g. {@code 127.0.0.1.nip.io}) is
     * not loopback.
     */
    public boolean loopbackOnly() {
        return loopbackOnly(host);
    }

    static boolean loopbackOnly(String host) {
        return host.equals("localhost") || host.equals("::1") || isIpv4Loopback(host);
    }

    /** An IPv4 literal in 127.0.0.0/8 (RFC 1122 §3.2.1.3). */
    public static boolean isIpv4Loopback(String host) {
        return host.matches("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    }
}
