/**
 * The JDBC implementation of the store interfaces. SQL is written to run unchanged on SQLite (the
 * embedded default) and PostgreSQL; {@link dev.signet.store.jdbc.Database} opens the embedded one.
 * SQL errors become {@link dev.signet.UnavailableException} (retry) or, for constraint
 * violations, {@link dev.signet.InternalException} (a bug).
 */
@NullMarked
package dev.signet.store.jdbc;

import org.jspecify.annotations.NullMarked;
