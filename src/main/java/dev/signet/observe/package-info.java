/**
 * Observability: correlation ids, the one log redaction layer, metrics, traces and health.
 *
 * <p>Depends on the kernel and {@code config} records only (STYLE 2b), plus the libraries it
 * wraps (SLF4J/Logback, Micrometer, OpenTelemetry), so that every other package can report
 * through it without knowing those libraries. {@code web} serves what it produces (the
 * management listener) and {@code app} wires it; nothing here knows HTTP routing.
 *
 * <p>Per-request log context lives in the SLF4J MDC for the duration of one request. That is a
 * ThreadLocal, which STYLE convention 9 otherwise forbids: it is the only way every log line of a
 * request (including lines from libraries) carries the correlation id. It is safe because Helidon
 * runs each request on its own virtual thread and {@link RequestContext} always removes what it
 * put, in a {@code finally}.
 */
@NullMarked
package dev.signet.observe;

import org.jspecify.annotations.NullMarked;
