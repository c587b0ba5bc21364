/**
 * Store interfaces, one per aggregate (convention 11). Every call takes the {@link
 * dev.signet.store.Tx} of the step it belongs to, so one journey step is one transaction. Absence
 * is an {@link java.util.Optional}; a store that cannot answer throws {@link
 * dev.signet.UnavailableException}. The JDBC implementation lives in {@code store.jdbc}.
 *
 * <p>{@link dev.signet.store.Changes} tells every node about a change that may have made its
 * caches wrong (a revoked session or grant, rotated keys), inside the change's transaction;
 * PostgreSQL delivers it with LISTEN/NOTIFY ({@code store.jdbc.PgChanges}), the embedded store has
 * one node and nobody to tell.
 */
@NullMarked
package dev.signet.store;

import org.jspecify.annotations.NullMarked;
