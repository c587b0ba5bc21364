-- Portable between SQLite and PostgreSQL: TEXT, BIGINT (epoch milliseconds), INTEGER flags.
CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    tenant         TEXT NOT NULL,
    email          TEXT,
    email_verified INTEGER NOT NULL,
    name           TEXT,
    picture        TEXT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX users_by_email ON users (tenant, email);

CREATE TABLE identities (
    tenant     TEXT NOT NULL,
    connection TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (tenant, connection, subject)
);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    tenant     TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id),
    connection TEXT NOT NULL,
    auth_time  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked    INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE pending_authorizations (
    id         TEXT PRIMARY KEY,
    tenant     TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    params     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE upstream_logins (
    state_hash    TEXT PRIMARY KEY,
    tenant        TEXT NOT NULL,
    connection    TEXT NOT NULL,
    pending_id    TEXT NOT NULL,
    nonce         TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    expires_at    BIGINT NOT NULL
);

CREATE TABLE grants (
    id              TEXT PRIMARY KEY,
    tenant          TEXT NOT NULL,
    client_id       TEXT NOT NULL,
    user_id         TEXT NOT NULL REFERENCES users (id),
    session_id      TEXT NOT NULL,
    code_hash       TEXT NOT NULL UNIQUE,
    redirect_uri    TEXT NOT NULL,
    code_challenge  TEXT,
    nonce           TEXT,
    scopes          TEXT NOT NULL,
    auth_time       BIGINT NOT NULL,
    code_expires_at BIGINT NOT NULL,
    code_used       INTEGER NOT NULL DEFAULT 0,
    revoked         INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);

CREATE TABLE refresh_tokens (
    token_hash TEXT PRIMARY KEY,
    grant_id   TEXT NOT NULL REFERENCES grants (id),
    expires_at BIGINT NOT NULL,
    used       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id);

CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY,
    alg        TEXT NOT NULL,
    material   TEXT NOT NULL,
    encrypted  INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
