-- The issuer of the custom domain a session was signed in on, so that an operator's revocation
-- (signet sessions revoke) sends back-channel logout tokens under the issuer the session's tokens
-- carried (Back-Channel Logout 1.0 §2.4). No row: the tenant's default domain (and every session an
-- older version stored). A table of its own rather than a column of sessions: a new column would change
-- what an older node's cached `SELECT *` on sessions returns (PostgreSQL: "cached plan must not change
-- result type") while a rolling upgrade runs. Additive only; portable between SQLite and PostgreSQL.
CREATE TABLE session_domains (
    session_id TEXT PRIMARY KEY,
    tenant     TEXT NOT NULL,
    issuer     TEXT NOT NULL
);
