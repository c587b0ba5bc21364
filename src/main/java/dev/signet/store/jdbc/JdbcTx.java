package dev.signet.store.jdbc;

import dev.signet.store.Tx;
import java.sql.Connection;

record JdbcTx(Connection connection) implements Tx {}
