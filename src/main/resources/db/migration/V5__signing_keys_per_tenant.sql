-- Issue 11: signing keys belong to one tenant, so a token of one tenant never verifies with another
-- tenant's JWKS. Keys created before this migration (one shared set) stay with the tenant named
-- `default`, so its tokens and cached JWKS keep working; every other tenant gets its own new keys
-- at the next start (or on first use). Portable between SQLite and PostgreSQL.
ALTER TABLE signing_keys ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
CREATE INDEX signing_keys_by_tenant ON signing_keys (tenant, created_at);
