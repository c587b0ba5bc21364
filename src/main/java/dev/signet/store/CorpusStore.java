package dev.signet.store;

import java.util.List;
import java.util.Optional;

/** The upstream corpus (README "Upstream corpus"): every call takes the tenant. */
public interface CorpusStore {

    /**
     * Adds {@code e} and trims its connection to the {@code limit} newest exchanges plus the first
     * and the last of each distinct outcome.
     */
    void add(Tx tx, CorpusEntry e, int limit);

    /** The tenant's exchanges, oldest first; only {@code connection}'s when given. */
    List<CorpusEntry> list(Tx tx, String tenant, Optional<String> connection);

    /** {@code connection}'s {@code limit} newest exchanges, newest first (the drift watcher's view of recent sign-ins). */
    List<CorpusEntry> latest(Tx tx, String tenant, String connection, int limit);
}
