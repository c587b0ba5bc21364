/**
 * Brute-force and flood protection (RFC 6749 §2.3.1; README "Rate limits"): token buckets per
 * source address and per client id for each endpoint group, and a growing back-off per client id
 * and address after failed client authentication at {@code /token}.
 *
 * <p>{@link dev.signet.ratelimit.RateLimits} is the policy: plain strings in (endpoint group,
 * address, client), {@link dev.signet.RateLimitedException} out. It knows no HTTP; {@code
 * web.Throttle} finds the address and client id of a request and calls it. Buckets are Bucket4j's,
 * held in bounded Caffeine caches (an attacker cycling addresses or client ids evicts the least
 * used entries instead of growing memory), and every time read goes through the injected
 * {@link java.time.Clock} ({@link dev.signet.ratelimit.ClockTime}), so tests advance time instead
 * of sleeping. State is per node.
 *
 * <p>Collaborators: kernel and {@code config} records only.
 */
@NullMarked
package dev.signet.ratelimit;

import org.jspecify.annotations.NullMarked;
