/**
 * The drift watcher (issue 15, README "Upstream drift"): when the probes refetch an upstream's
 * discovery document and JWK Set, {@link dev.signet.drift.DriftWatcher} compares what it publishes
 * now (and what the latest recorded sign-ins show: the callback's {@code iss}, the token response's
 * field names) with what was seen before, and raises one alert per change: an {@code upstream.drift}
 * event through the outbox, a metric and one WARN line, each with the config line to change.
 *
 * <pre>
 *   field                                           from
 *   issuer, authorization_endpoint, token_endpoint,  the discovery document the probe refetched
 *   userinfo_endpoint, jwks_uri, end_session_endpoint,
 *   authorization_response_iss_parameter_supported
 *   jwks_keys                                        the JWK Set the probe refetched (kid and alg of each key)
 *   callback_iss                                     the newest recorded callback (upstream corpus)
 *   token_response_fields                            the newest recorded token response with an access_token
 * </pre>
 *
 * What was seen is kept in the store ({@code upstream_published}, per tenant), changed with a
 * compare-and-set, so several nodes on one database alert once. Uses {@code store} (that table and
 * the corpus), {@code event} (the outbox) and {@code observe} (the metric); it knows no connector
 * kind: the config line comes from a {@link dev.signet.drift.DriftWatcher.Hints} the composition
 * root builds from the connector's capabilities.
 */
@NullMarked
package dev.signet.drift;

import org.jspecify.annotations.NullMarked;
