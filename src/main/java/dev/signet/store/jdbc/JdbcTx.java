package dev.signet.store.jdbc;

import dev.signet.store.Tx;

/** A unit of work on one borrowed connection, reached through its statement cache. */
record JdbcTx(Statements statements) implements Tx {}
