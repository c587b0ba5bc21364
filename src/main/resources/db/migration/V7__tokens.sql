-- Issue 14 (token side): revoked access tokens, single-use client assertions, device authorizations.
-- Additive only; portable between SQLite and PostgreSQL: TEXT, BIGINT (epoch milliseconds), INTEGER.

-- RFC 7009: access tokens revoked by jti, kept until the token's own exp (then pruned).
CREATE TABLE revoked_tokens (
    tenant     TEXT NOT NULL,
    jti        TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (tenant, jti)
);

-- RFC 7523 §3 item 7 / OIDC Core §9: a client assertion's jti is used once, remembered until its exp.
CREATE TABLE client_assertions (
    tenant     TEXT NOT NULL,
    client_id  TEXT NOT NULL,
    jti        TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (tenant, client_id, jti)
);

-- RFC 8628: one row per device authorization request.
CREATE TABLE device_codes (
    id               TEXT PRIMARY KEY,
    tenant           TEXT NOT NULL,
    client_id        TEXT NOT NULL,
    device_code_hash TEXT NOT NULL UNIQUE,
    user_code        TEXT NOT NULL,
    scopes           TEXT NOT NULL,
    interval_seconds BIGINT NOT NULL,
    last_polled_at   BIGINT,
    status           TEXT NOT NULL,
    user_id          TEXT,
    session_id       TEXT,
    auth_time        BIGINT,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL
);
CREATE UNIQUE INDEX device_codes_by_user_code ON device_codes (tenant, user_code);
