-- Outbox (issue 5): events written in the same transaction as the change they describe, then
-- delivered to sinks by the relay. Portable between SQLite and PostgreSQL (TEXT, BIGINT epoch ms,
-- INTEGER counters; INSERT ... ON CONFLICT DO NOTHING is understood by both).
CREATE TABLE outbox (
    id          TEXT PRIMARY KEY,
    tenant      TEXT NOT NULL,
    type        TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    user_id     TEXT,
    connection  TEXT,
    data        TEXT NOT NULL,
    fanned_out  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_to_fan_out ON outbox (fanned_out, occurred_at);

-- One row per (event, sink): pending → delivered, or dead after the last attempt.
CREATE TABLE outbox_delivery (
    event_id        TEXT NOT NULL REFERENCES outbox (id),
    sink            TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_by      TEXT,
    claimed_until   BIGINT,
    last_error      TEXT,
    delivered_at    BIGINT,
    PRIMARY KEY (event_id, sink)
);
CREATE INDEX outbox_delivery_due ON outbox_delivery (state, next_attempt_at);

-- The audit log sink: one row per event, queryable by user, connection and time.
CREATE TABLE audit_log (
    event_id    TEXT PRIMARY KEY,
    tenant      TEXT NOT NULL,
    type        TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    user_id     TEXT,
    connection  TEXT,
    data        TEXT NOT NULL
);
CREATE INDEX audit_by_user ON audit_log (tenant, user_id, occurred_at);
CREATE INDEX audit_by_connection ON audit_log (tenant, connection, occurred_at);
CREATE INDEX audit_by_time ON audit_log (occurred_at);
