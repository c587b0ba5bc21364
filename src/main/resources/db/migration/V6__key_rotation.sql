-- Issue 14, key rotation: a key is published (in the JWKS) from the moment it is stored and signs
-- only from signs_from, at least the JWKS cache lifetime later. Additive only (issue 13): rows of
-- earlier versions have no signs_from and sign from created_at, as they always did; a node of the
-- previous version ignores the column. Portable between SQLite and PostgreSQL (BIGINT epoch ms).
ALTER TABLE signing_keys ADD COLUMN signs_from BIGINT;
