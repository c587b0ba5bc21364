package dev.signet.config;

import java.util.Optional;
import java.util.Set;

/**
 * Reads the kind-specific part of a connection while the configuration loads, so a problem in a
 * connector's settings is listed together with every other problem. Implemented by the connector
 * registry; {@code config} itself knows no connector kind.
 */
public interface ConnectionKinds {

    /** Marker for each kind's settings record. */
    interface Options {}

    /** Every kind name, for the error message when a kind is unknown. */
    Set<String> names();

    /** Reads {@code node}'s kind-specific keys; empty when {@code kind} is unknown. */
    Optional<Options> read(String kind, ConfigNode node, ServerSettings server);

    /** The keys every connection has, which kinds must allow besides their own. */
    Set<String> COMMON_KEYS = Set.of("id", "kind", "name", "email_domains", "record", "record_limit");
}
