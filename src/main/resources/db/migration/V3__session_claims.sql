-- Claims a sign-in hook added to a session (issue 5); copied into the ID tokens issued from it.
-- A row exists only when a hook added claims. Portable between SQLite and PostgreSQL.
CREATE TABLE session_claims (
    session_id TEXT PRIMARY KEY REFERENCES sessions (id),
    claims     TEXT NOT NULL
);
