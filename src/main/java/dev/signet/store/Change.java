package dev.signet.store;

import java.util.Objects;

/**
 * A change one node made that other nodes may hold a stale copy of (issue 13): sent to every node
 * by {@link Changes}, so each drops what it cached. {@code tenant} and {@code id} say what changed
 * (a session id, a grant id; empty when the whole tenant or node is meant).
 */
public record Change(Kind kind, String tenant, String id) {

    public enum Kind {
        /** A browser session was revoked: its id. */
        SESSION_REVOKED,
        /** A grant and with it its refresh-token family was revoked (reuse detection): its id. */
        GRANT_REVOKED,
        /** A tenant's signing keys changed (created, rotated): reload them. */
        KEYS_CHANGED,
        /** A node reloaded its configuration: drop every cache (configuration itself stays per node). */
        CONFIG_RELOADED
    }

    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        if (tenant.contains(" ") || id.contains(" ")) {
            throw new IllegalArgumentException("tenant and id must not contain spaces");
        }
    }

    /** The wire form: {@code KIND tenant id} (fits PostgreSQL's 8000-byte NOTIFY payload by far). */
    public String wire() {
        return kind + " " + tenant + " " + id;
    }

    /** Parses {@link #wire()}; empty for anything else (a newer node's kind, say), which the caller skips. */
    public static java.util.Optional<Change> parse(String wire) {
        String[] p = wire.split(" ", -1);
        if (p.length != 3) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new Change(Kind.valueOf(p[0]), p[1], p[2]));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
