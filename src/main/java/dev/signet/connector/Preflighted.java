package dev.signet.connector;

/**
 * Optional capability of a {@link Connector}: what {@code signet check} verifies against the live
 * upstream before a deploy (postmortem 000: a discovery flow the IdP did not support; postmortem
 * 001: an issuer that did not match). The kind says <em>what</em> to check; the command line does
 * the requests. Checked with {@code instanceof} on the connector (dex's optional connector
 * interfaces), never on settings.
 */
public interface Preflighted {

    Preflight preflight();
}
