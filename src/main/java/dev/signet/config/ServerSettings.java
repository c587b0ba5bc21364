package dev.signet.config;

import java.net.URI;

/**
 * Where Signet listens and the public base URL it is reached at (the default tenant's issuer).
 *
 * @param publicUrl absolute base URL without a trailing slash, e.g. {@code http://localhost:8080}
 */
public record ServerSettings(String host, int port, URI publicUrl) {

    /**
     * True when the listener is bound to a loopback address only: {@code localhost}, {@code ::1} or an
     * IPv4 literal in 127/8. A name that merely starts with "127." (e.g. {@code 127.0.0.1.nip.io}) is
     * not loopback.
     */
    public boolean loopbackOnly() {
        return host.equals("localhost") || host.equals("::1") || isIpv4Loopback(host);
    }

    /** An IPv4 literal in 127.0.0.0/8 (RFC 1122 §3.2.1.3). */
    static boolean isIpv4Loopback(String host) {
        return host.matches("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    }
}
