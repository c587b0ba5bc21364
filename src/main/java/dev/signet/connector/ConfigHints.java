package dev.signet.connector;

import java.util.List;
import java.util.Optional;

/**
 * Optional capability of a {@link Connector}: which of its config keys follow an upstream that now
 * publishes something else (the drift watcher, README "Upstream drift"). Pure: no I/O.
 */
public interface ConfigHints {

    /** The upstream's issuer (its discovery document's, or the {@code iss} its callbacks carry). */
    String ISSUER = "issuer";
    /** The callbacks' RFC 9207 {@code iss} parameter, as recorded. */
    String CALLBACK_ISS = "callback_iss";
    /** RFC 9207 §3 in the discovery document. */
    String ISS_PARAMETER = "authorization_response_iss_parameter_supported";

    /**
     * The config lines ({@code key: value}, relative to the connection) to set now that the upstream
     * publishes {@code now} (empty: no longer publishes it) for {@code field}; empty when no key of
     * this kind governs the field or the configuration already matches.
     */
    List<String> configLines(String field, Optional<String> now);
}
