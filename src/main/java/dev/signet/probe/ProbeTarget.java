package dev.signet.probe;

import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * One connection of a tenant on one of its domains.
 *
 * @param issuer the tenant's issuer on this domain (where discovery is)
 * @param upstreamHost the host the connection's authorization URL must be on; empty when only
 *     well-formedness can be checked (a kind whose endpoint the composition root cannot tell)
 * @param upstreamCheck refetches what a sign-in compares at the upstream (its discovery document,
 *     issuer and JWK Set), bypassing the connector's caches; returns what it checked, or throws the
 *     {@link dev.signet.SignetException} a user's sign-in would end with (issue 17). Empty when the
 *     kind has nothing to refetch
 * @param fullJourney whether the probe completes the sign-in (callback, code exchange, ID token):
 *     the built-in dev connection, which needs no real account
 */
public record ProbeTarget(String tenant, String domain, URI issuer, String connection, String kind, Optional<String> upstreamHost,
        boolean fullJourney, Optional<Callable<String>> upstreamCheck) {

    /** A stable key: tenant/domain/connection. */
    public String key() {
        return tenant + "/" + domain + "/" + connection;
    }
}
