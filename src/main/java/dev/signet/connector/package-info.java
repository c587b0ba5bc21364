/**
 * Upstream identity providers behind one small interface, {@link dev.signet.connector.Connector};
 * one package per kind, registered in {@link dev.signet.connector.ConnectorKinds}. {@link
 * dev.signet.connector.CallbackCheck} runs the checks every kind shares (state, RFC 9207 iss, error)
 * and is the only way to obtain a {@link dev.signet.connector.VerifiedCallback}.
 *
 * <p>Deviation from STYLE 2b: connectors use {@code tenant.Urls}, because upstream authorization
 * URLs must come from the one URL builder too (postmortem 002). They know nothing else of tenants
 * or HTTP routing.
 */
@NullMarked
package dev.signet.connector;

import org.jspecify.annotations.NullMarked;
