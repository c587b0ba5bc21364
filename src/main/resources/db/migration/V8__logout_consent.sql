-- Issue 14 (logout, consent): additive only, portable between SQLite and PostgreSQL (TEXT, BIGINT
-- epoch ms). Old nodes keep running on this schema: they never read the new table or indexes.
--
-- Consent a user gave a client, per tenant: the scopes approved (space-separated, as on the wire).
-- A request for a scope outside them asks again; `signet sessions revoke --user` deletes the rows.
CREATE TABLE consents (
    tenant     TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (tenant, user_id, client_id)
);
-- Sessions of a user (signet sessions list/revoke --user) and the grants issued in a session
-- (which clients get a back-channel logout token when it ends).
CREATE INDEX sessions_by_user ON sessions (tenant, user_id);
CREATE INDEX grants_by_session ON grants (tenant, session_id);
