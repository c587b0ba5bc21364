/**
 * Store interfaces, one per aggregate (convention 11). Every call takes the {@link
 * dev.signet.store.Tx} of the step it belongs to, so one journey step is one transaction. Absence
 * is an {@link java.util.Optional}; a store that cannot answer throws {@link
 * dev.signet.UnavailableException}. The JDBC implementation lives in {@code store.jdbc}.
 */
@NullMarked
package dev.signet.store;

import org.jspecify.annotations.NullMarked;
