/**
 * {@code signet replay} (issue 15, README "Upgrading safely"): the current build's and
 * configuration's connector code run over the recorded upstream corpus, offline, each outcome
 * compared with the recorded one.
 *
 * <p><b>How connector code runs offline.</b> Every upstream request of every connector kind leaves
 * through one seam, {@link dev.signet.connector.UpstreamTransport} (discovery, token, userinfo,
 * GitHub's API through {@code UpstreamHttp.send}; JWK Sets through the transport's Nimbus retriever).
 * The replay gives a fresh connector, opened by the configured kind from {@code ConnectorKinds},
 * a {@link dev.signet.replay.RecordedTransport} that answers each call, by the name the connector
 * gives it, from the recorded exchange; the callback is rebuilt from the recorded parameters and goes
 * through {@code CallbackCheck} like a real one. So parsing, claim mapping, the issuer and
 * {@code iss} checks, the email-verified rules and every restriction a kind checks are the
 * production code paths, not a model of them; a new build's change to any of them shows.
 *
 * <p><b>Signatures.</b> The corpus keeps the verified ID-token header and claims, never a signature
 * or key material. {@link dev.signet.replay.ReplayKeys} makes one stand-in key per recorded
 * {@code kid}/{@code kty}/{@code crv}, answers the JWK Set call with their public halves, and
 * re-signs each recorded token with the key its header names; the connector verifies it with Nimbus
 * (alg allow-list, key selection, iss, aud, exp, nonce). Times move with the exchange's age.
 *
 * <p><b>Cost.</b> No network, no server, no store: one connector and one transport per exchange,
 * one signature and one verification per ID token; keys are made once per run and signers kept per
 * key; the exchanges of a connection run on every core (each is independent), reported in order.
 *
 * <p>Uses {@code connector} (the kinds and the seam), {@code config} (the connections as
 * configured now), {@code tenant} (the callback URL), {@code corpus} (the format version) and {@code keys} (the
 * signature provider, Conscrypt when it loads, for the stand-in signatures). Only
 * {@code cli} uses it.
 */
@NullMarked
package dev.signet.replay;

import org.jspecify.annotations.NullMarked;
