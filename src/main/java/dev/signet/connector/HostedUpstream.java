package dev.signet.connector;

import java.util.Map;

/**
 * Optional capability of a {@link Connector}: its "upstream" is a form Signet serves itself (the
 * dev connection, at {@code /dev-upstream/{connection}}). {@code web} renders the form and hands the
 * submission here; the kind alone knows what its upstream answers, so {@code web} never names a kind.
 */
public interface HostedUpstream {

    /** The address the form is filled with when the sign-in carries no {@code login_hint}. */
    String defaultEmail();

    /**
     * The parameters the upstream sends back to the callback for a submitted form: {@code code} and
     * {@code state} (RFC 6749 §4.1.2) and {@code iss} (RFC 9207 §2).
     */
    Map<String, String> answer(String name, String email, String state, String nonce);
}
