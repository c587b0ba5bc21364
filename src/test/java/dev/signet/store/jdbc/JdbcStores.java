package dev.signet.store.jdbc;

import dev.signet.store.Stores;

/** The JDBC implementation of every store over one {@link Database}, for the conformance suite. */
final class JdbcStores {

    private JdbcStores() {}

    static Stores of(Database db) {
        return new Stores(db, new JdbcUsers(), new JdbcSessions(), new JdbcPending(), new JdbcUpstreamLogins(), new JdbcGrants(),
                new JdbcKeys(), new JdbcOutbox(), new JdbcAudit(), new JdbcSessionClaims(), new JdbcHousekeeping(), db::close);
    }
}
