package dev.signet.tenant;

import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A seeded generator of domains as an operator might write them in the configuration, with what
 * Signet must make of them: IDN hosts (Unicode and punycode), IPv4 and IPv6 literals, default and
 * non-default ports, path prefixes, trailing slashes and dots, mixed case.
 */
public final class DomainGenerator {

    /** {@code configured} is what the YAML says; the rest is what every URL on the domain must carry. */
    public record Generated(String configured, String scheme, String host, int port, String prefix) {
        /** The issuer Signet must use on this domain. */
        public String issuer() {
            return scheme + "://" + host + (port < 0 ? "" : ":" + port) + prefix;
        }

        /** A Host header a browser would send for this domain. */
        public String hostHeader() {
            return host + (port < 0 ? "" : ":" + port);
        }

        @Override
        public String toString() {
            return configured;
        }
    }

    private static final String[] UNICODE_LABELS = {"bücher", "пример", "例え", "café", "straße", "ελληνικά", "mañana", "日本語"};
    private static final String LDH = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final Random random;
    private final String tld;

    DomainGenerator(long seed, String tld) {
        this.random = new Random(seed);
        this.tld = tld;
    }

    List<Generated> take(int n, boolean literals) {
        List<Generated> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next(i, literals));
        }
        return out;
    }

    Generated next(int i, boolean literals) {
        String scheme = random.nextBoolean() ? "https" : "http";
        String host;
        String written;
        int kind = literals ? random.nextInt(5) : random.nextInt(3);
        switch (kind) {
            case 0 -> { // plain ASCII name, sometimes upper case, sometimes a trailing dot
                host = label() + "-" + i + "." + label() + tld;
                written = mixCase(host) + (random.nextInt(4) == 0 ? "." : "");
            }
            case 1 -> { // Unicode IDN
                String u = UNICODE_LABELS[random.nextInt(UNICODE_LABELS.length)] + i + "." + label() + tld;
                written = u;
                host = IDN.toASCII(u, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            }
            case 2 -> { // IDN already in punycode
                String u = UNICODE_LABELS[random.nextInt(UNICODE_LABELS.length)] + "-x" + i + tld;
                host = IDN.toASCII(u, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
                written = mixCase(host);
            }
            case 3 -> { // IPv4 literal
                host = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (i % 250 + 1);
                written = host;
            }
            default -> { // IPv6 literal, canonical full form as java.net.InetAddress prints it
                host = "[2001:db8:" + Integer.toHexString(random.nextInt(0xffff)) + ":0:0:0:0:" + Integer.toHexString(i + 1) + "]";
                written = host;
            }
        }
        int port = switch (random.nextInt(4)) {
            case 0 -> -1;
            case 1 -> scheme.equals("https") ? 443 : 80;
            default -> 1024 + random.nextInt(64511);
        };
        String prefix = switch (random.nextInt(4)) {
            case 0, 1 -> "";
            case 2 -> "/" + label();
            default -> "/" + label() + "/" + label() + "-x";
        };
        String slashes = switch (random.nextInt(3)) {
            case 0 -> "";
            case 1 -> "/";
            default -> "//";
        };
        String configured = (random.nextBoolean() ? scheme.toUpperCase(Locale.ROOT) : scheme) + "://" + written
                + (port < 0 ? "" : ":" + port) + prefix + slashes;
        return new Generated(configured, scheme, host, port, prefix);
    }

    /**
     * A domain a test can really reach: a name under this generator's TLD (resolved to 127.0.0.1 by
     * {@code harness.TestHostsResolver}), plain http on {@code port}, with a path prefix if asked (served
     * through a prefix-stripping proxy on that port).
     */
    /** {@code n} reachable domains under {@code .test}: every third behind the prefix proxy on {@code proxyPort}. */
    public static List<Generated> reachable(long seed, int n, int port, int proxyPort) {
        DomainGenerator g = new DomainGenerator(seed, ".test");
        List<Generated> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i % 3 == 2 ? g.reachable(i, proxyPort, true) : g.reachable(i, port, false));
        }
        return out;
    }

    Generated reachable(int i, int port, boolean withPrefix) {
        Generated g = next(i, false);
        String written = g.configured().substring(g.configured().indexOf("://") + 3);
        int end = written.length();
        for (char c : new char[] {':', '/'}) {
            int at = written.indexOf(c);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        String prefix = withPrefix ? (g.prefix().isEmpty() ? "/p" + i : g.prefix()) : "";
        String configured = "http://" + written.substring(0, end) + ":" + port + prefix + (random.nextBoolean() ? "/" : "");
        return new Generated(configured, "http", g.host(), port, prefix);
    }

    private String label() {
        int len = 1 + random.nextInt(8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < len; i++) {
            sb.append(LDH.charAt(random.nextInt(LDH.length() - (i == 0 ? 10 : 0))));
        }
        return sb.toString();
    }

    private String mixCase(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(random.nextInt(3) == 0 ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }
}
