-- The PostgreSQL twin of db/migration/sqlite/V11: the dedupe key becomes the id's 16 bytes (uuid), and
-- the context columns that repeated the body are dropped (nothing queries them; the body holds the
-- validated report). PostgreSQL's heap already appends rows, so no sequence column is needed.
-- Every stored report is kept.

ALTER TABLE reports ALTER COLUMN report_id TYPE uuid USING report_id::uuid;

ALTER TABLE reports
    DROP COLUMN app_version,
    DROP COLUMN catalog_sha256,
    DROP COLUMN os,
    DROP COLUMN arch,
    DROP COLUMN runtime,
    DROP COLUMN memory_tier,
    DROP COLUMN install_method,
    DROP COLUMN ci;
