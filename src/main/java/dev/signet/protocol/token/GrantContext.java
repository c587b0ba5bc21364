package dev.signet.protocol.token;

import dev.signet.event.Outbox;
import dev.signet.Ids;
import dev.signet.store.GrantStore;
import dev.signet.store.SessionClaimsStore;
import dev.signet.store.Transactions;
import dev.signet.store.UserStore;
import java.time.Clock;

/** What the grants that touch the store share. */
record GrantContext(Transactions transactions, Outbox outbox, SessionClaimsStore sessionClaims, GrantStore grants, UserStore users, Tokens tokens, Ids ids, Clock clock) {}
