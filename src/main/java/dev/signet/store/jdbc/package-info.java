/**
 * The JDBC implementation of the store interfaces. SQL is written to run unchanged on SQLite (the
 * embedded default) and PostgreSQL (several nodes): named columns, typed NULL parameters where a
 * NULL is compared, {@code ON CONFLICT} rather than {@code INSERT OR …}, integer flags;
 * {@link dev.signet.store.jdbc.Database} opens either, {@link dev.signet.store.jdbc.Migrations}
 * migrates either from the same {@code db/migration} files.
 * SQL errors become {@link dev.signet.UnavailableException} (retry) or, for constraint
 * violations, {@link dev.signet.InternalException} (a bug).
 */
@NullMarked
package dev.signet.store.jdbc;

import org.jspecify.annotations.NullMarked;
