package dev.signet.connector;

import java.util.Set;

/**
 * Optional capability: values an upstream answers that identify no person and that the
 * connection's own checks compare against, such as the GitHub organisations and teams a connection
 * is restricted to. The corpus keeps these values as they are (every other value becomes synthetic),
 * so {@code signet replay} can run the restriction again; names outside this set stay synthetic.
 */
public interface PublicNames {

    /** Compared without regard to case. */
    Set<String> publicNames();

    /** {@code connector}'s public names, or none. */
    static Set<String> of(Connector connector) {
        return connector instanceof PublicNames p ? p.publicNames() : Set.of();
    }
}
