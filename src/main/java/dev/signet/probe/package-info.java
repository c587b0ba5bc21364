/**
 * Built-in synthetic sign-ins (DESIGN.md "Probe"): on a schedule, for every connection on every
 * domain of every tenant, a {@link dev.signet.probe.Journey} drives Signet's PUBLIC endpoints the
 * way a browser would (fresh cookie jar, redirects followed by hand) and reports the first step
 * that failed with a reason code.
 *
 * <pre>
 *   step        request                                   passes when
 *   discovery   GET {domain}/.well-known/openid-configuration   200 JSON, issuer = the domain's issuer
 *   authorize   GET authorization_endpoint (connection=…)       302 to /signin/{connection}
 *   upstream_metadata  the target's upstream check: refetch the upstream's discovery, issuer and JWKS
 *               (no cache), compared as a sign-in would   else the reason a user gets (upstream.issuer_mismatch…)
 *   connection  GET /signin/{connection}                        302 to an absolute http(s) URL on the expected host
 *   upstream    GET that URL                                    a page (2xx) or a redirect (3xx); not 404/5xx
 *   (full journeys only: the dev connection)
 *   callback    POST the dev form, GET /callback/{connection}   302 to the probe client (or, from a node before
 *                                                               issue 16, to /authorize/resume)
 *   resume      (GET /authorize/resume, when the callback sent there) the 302 to the probe client has code, state, iss
 *   token       POST token_endpoint (client_secret_basic, PKCE) 200 with an id_token
 *   id_token    verify against jwks_uri                         signature, iss, aud, nonce, exp
 * </pre>
 *
 * A probe signs in with its own built-in confidential client per tenant ({@link
 * dev.signet.probe.ProbeClient}), never an application's. {@link dev.signet.probe.ProbeRunner}
 * keeps the latest result per target, counts results as metrics, logs each one, and sends one
 * signed alert per change of state (not one per run). Its status (JSON and page) also shows each
 * connection's {@link dev.signet.probe.LastDrift}, handed in by the composition root from the drift
 * watcher (this package only renders it).
 *
 * <p>The upstream check is the one step that is not black-box: a sign-in compares what the upstream
 * publishes with what it cached, so a change there (a new issuer) is invisible on Signet's own
 * endpoints until a user fails. The composition root hands each target a callable that refetches it
 * (issue 17); this package only runs it and reports its reason.
 *
 * <p>Black-box on purpose (STYLE 2b: {@code config}, {@code observe}, the JDK HttpClient): it knows
 * only URLs and what the HTTP answers say. Deviation from STYLE 2b: it uses {@code event}'s
 * {@code WebhookSignature}, so probe alerts are signed exactly like outbox webhooks (one signer,
 * one verification recipe for receivers).
 */
@NullMarked
package dev.signet.probe;

import org.jspecify.annotations.NullMarked;
