-- Issue 15 (upstream corpus): additive only, portable between SQLite and PostgreSQL (TEXT, BIGINT
-- epoch ms). Old nodes keep running on this schema: they never read the new table.
--
-- What each connection's upstream really sent in a sign-in, with synthetic values in place of
-- anything that identifies a person or grants access (README "Upstream corpus"). `entry` is one
-- exchange as JSON; `outcome` is "ok" or the reason code Signet reached. Capped per connection
-- (record_limit newest, plus the first and last of each outcome). `seq` orders a connection's
-- exchanges (one more than the connection's highest, in the inserting transaction): clocks of
-- several nodes, or a test's fixed clock, cannot.
CREATE TABLE upstream_corpus (
    id          TEXT NOT NULL PRIMARY KEY,
    tenant      TEXT NOT NULL,
    connection  TEXT NOT NULL,
    seq         BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    outcome     TEXT NOT NULL,
    entry       TEXT NOT NULL
);
CREATE INDEX upstream_corpus_by_connection ON upstream_corpus (tenant, connection, seq);
