package dev.signet.connector;

import java.net.URI;

/**
 * An upstream identity provider. One final class per kind, in its own package, registered by one
 * line in {@link ConnectorKinds}.
 */
public interface Connector {

    /** The connection id from the configuration. */
    String id();

    /**
     * Where to send the browser. Builds the URL with {@code tenant.Urls}; for discovery {@code auto}
     * the first call fetches the upstream metadata (then cached).
     */
    URI loginUrl(LoginRequest request);

    /** What the callback's {@code iss} parameter must satisfy (RFC 9207 §2.4). */
    IssuerExpectation issuer();

    /**
     * Turns a verified callback into an identity. May call the upstream, within
     * {@code callback.deadline()}. Throws {@link dev.signet.UpstreamException} naming the field or
     * endpoint that failed; never returns null.
     */
    UpstreamIdentity finish(VerifiedCallback callback);
}
