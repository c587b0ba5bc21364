package dev.signet.config;

import java.net.URI;

/**
 * Where Signet listens and the public base URL it is reached at (the default tenant's issuer).
 *
 * @param publicUrl absolute base URL without a trailing slash, e.g. {@code http://localhost:8080}
 */
public record ServerSettings(String host, int port, URI publicUrl) {

    /** True when the listener is bound to a loopback address only. */
    public boolean loopbackOnly() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
    }
}
