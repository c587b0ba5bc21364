/**
 * Events and their delivery (DESIGN.md "Event"; convention 10: side effects leave the sign-in path
 * through a durable outbox).
 *
 * <pre>
 *   change + Outbox.append(tx, event)   same store transaction as the change (never lost, never early)
 *   OutboxRelay (virtual thread)        fan out to every sink → claim due deliveries (lease) →
 *                                       Sink.deliver → delivered | retry with exponential backoff |
 *                                       dead after max_attempts → `signet events redeliver`
 *   sinks                               WebhookSink (HMAC-SHA256 signed), AuditSink (audit_log table)
 * </pre>
 *
 * Nothing here is on the sign-in path except {@link dev.signet.event.Outbox#append}, one INSERT in
 * a transaction that runs anyway. A sink that is down or hangs only delays its own deliveries.
 *
 * <p>Deviation from STYLE 2b: {@code event} uses {@code store} (the outbox and audit tables
 * are written inside the caller's {@link dev.signet.store.Tx}, which is the whole point).
 */
@NullMarked
package dev.signet.event;

import org.jspecify.annotations.NullMarked;
