package dev.signet.connector;

/**
 * Optional capability of a {@link Connector} that keeps what it discovered from its upstream
 * (OIDC metadata): told to forget it when a probe saw the upstream change (issue 17), so the next
 * sign-in discovers afresh instead of running on the stale copy.
 */
public interface DiscoveryCache {

    void forgetDiscovery();
}
