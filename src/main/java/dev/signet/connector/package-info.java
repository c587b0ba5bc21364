/**
 * Upstream identity providers behind one small interface, {@link dev.signet.connector.Connector};
 * one package per kind, registered in {@link dev.signet.connector.ConnectorKinds}. {@link
 * dev.signet.connector.CallbackCheck} runs the checks every kind shares (state, RFC 9207 iss, error)
 * and is the only way to obtain a {@link dev.signet.connector.VerifiedCallback}. What other packages
 * need of a kind comes through optional capabilities checked with {@code instanceof} on the
 * connector (dex's optional connector interfaces): {@link dev.signet.connector.Preflighted},
 * {@link dev.signet.connector.ProbeHints}, {@link dev.signet.connector.Unsafe}, {@link
 * dev.signet.connector.HostedUpstream}, {@link dev.signet.connector.DiscoveryCache} and {@link
 * dev.signet.connector.ConfigHints} (the config line the drift watcher suggests); {@link
 * dev.signet.connector.UpstreamRecheck} turns them into a probe's upstream check. Nothing outside this package names a kind (ArchitectureTest).
 *
 * <p>Deviation from STYLE 2b: connectors use {@code tenant.Urls}, because upstream authorization
 * URLs must come from the one URL builder too (postmortem 002). They know nothing else of tenants
 * or HTTP routing.
 */
@NullMarked
package dev.signet.connector;

import org.jspecify.annotations.NullMarked;
