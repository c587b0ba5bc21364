package dev.signet.connector.dev;

import dev.signet.config.ConfigNode;
import dev.signet.config.ConnectionKinds;
import dev.signet.config.ServerSettings;
import java.util.HashSet;
import java.util.Set;

/**
 * The built-in development upstream ({@code kind: dev-unsafe}): anyone can type any name and email.
 * Refused on a non-loopback listener unless {@code unsafe_allow_non_loopback: true}.
 */
public record DevSettings(boolean unsafeAllowNonLoopback) implements ConnectionKinds.Options {

    public static DevSettings read(ConfigNode n, ServerSettings server) {
        Set<String> allowed = new HashSet<>(ConnectionKinds.COMMON_KEYS);
        allowed.add("unsafe_allow_non_loopback");
        n.allowOnly(allowed);
        boolean force = n.bool("unsafe_allow_non_loopback", false);
        if (!server.loopbackOnly() && !force) {
            n.problem("kind", "dev-unsafe lets anyone sign in as anyone; it is refused while server.host is '" + server.host()
                    + "' (not loopback). Bind to 127.0.0.1, or set unsafe_allow_non_loopback: true if you really mean it");
        }
        return new DevSettings(force);
    }
}
