-- Raw reports as the writer appends them. Before: report_id CHAR(36) was the primary key of a rowid
-- table, so SQLite kept a second B-tree of 36-character ids, and every column of the report's context
-- was stored twice (once in its own column, once in the body). Now:
--   * rows are numbered in arrival order (seq, the rowid), so a new report lands on the last page of
--     the table instead of anywhere;
--   * the dedupe key is the id's 16 bytes (a random UUID still lands anywhere in its index, but the
--     index is about half as large: fewer pages to keep in cache and to write per commit);
--   * only what is queried has a column (app and period, for rollups, retention and the periods
--     list); everything else is read from the body, the validated report, as before.
-- Every stored report is kept, in its original order. Deliberately absent, as before: any address,
-- user agent or arrival time (seq is an order, not a time).

CREATE TABLE reports_appended (
    seq         INTEGER      PRIMARY KEY,
    -- the report's UUID as 16 bytes, big-endian (the hex digits of its text form, in order)
    report_id   BLOB         NOT NULL UNIQUE CHECK (length(report_id) = 16),
    app         VARCHAR(64)  NOT NULL,
    -- first day of the report's period, ISO yyyy-mm-dd
    period      CHAR(10)     NOT NULL,
    -- the validated report, canonical compact JSON (wire format v1)
    body        TEXT         NOT NULL
);

INSERT INTO reports_appended (report_id, app, period, body)
    SELECT unhex(replace(report_id, '-', '')), app, period, body FROM reports ORDER BY rowid;

DROP TABLE reports;
ALTER TABLE reports_appended RENAME TO reports;
CREATE INDEX reports_by_app_period ON reports (app, period);
