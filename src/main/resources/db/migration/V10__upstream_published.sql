-- Issue 15 (drift watcher): additive only, portable between SQLite and PostgreSQL (TEXT, BIGINT
-- epoch ms). Old nodes keep running on this schema: they never read the new table.
--
-- What each connection's upstream published when Signet last looked (README "Upstream drift"):
-- one row per tenant, connection and field (issuer, endpoints, authorization_response_iss_parameter_supported,
-- jwks_keys, callback_iss, token_response_fields). `value` is JSON text; 'null' means the upstream
-- published no such field. A change is written with a compare-and-set on `value` (UPDATE … WHERE
-- value = the old one), so of several nodes that see it only the first one alerts. `previous`,
-- `changed_at` and `hint` describe the last change (NULL while the row is still the baseline).
CREATE TABLE upstream_published (
    tenant      TEXT NOT NULL,
    connection  TEXT NOT NULL,
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,
    seen_at     BIGINT NOT NULL,
    previous    TEXT,
    changed_at  BIGINT,
    hint        TEXT,
    PRIMARY KEY (tenant, connection, field)
);
