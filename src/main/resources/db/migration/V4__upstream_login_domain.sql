-- Issue 6: the domain (host name) a sign-in journey started on, so its callback, retry link and
-- resume stay on that domain. Portable between SQLite and PostgreSQL.
ALTER TABLE upstream_logins ADD COLUMN domain TEXT NOT NULL DEFAULT '';
