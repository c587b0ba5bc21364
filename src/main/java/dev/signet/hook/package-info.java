/**
 * Synchronous policy hooks during sign-in (DESIGN.md "Hook"): "may this user sign in?", optionally
 * adding claims to the ID token. The only non-store I/O allowed on the sign-in path besides the
 * upstream, so every call has a hard timeout and an explicit {@code on_failure: allow | deny}
 * (no default: the config check fails without it). Separate from {@code event} on purpose: events
 * are asynchronous and can never affect a sign-in; a hook decides one.
 *
 * <pre>
 *   POST {url}  {"tenant","connection","subject","email","email_verified","name"}
 *   200 {"allow": true, "claims": {...}}        → continue, claims go into the ID token
 *   200 {"allow": false, "message": "..."}      → sign-in denied (signin.denied_by_hook), message shown
 *   timeout / non-2xx / unreadable              → on_failure: allow → continue; deny → signin.hook_failed
 * </pre>
 */
@NullMarked
package dev.signet.hook;

import org.jspecify.annotations.NullMarked;
