-- Rollups (exact aggregates, private to the maintainer) and releases (public, frozen; the rows in
-- sequence order are the public ledger). Both outlive the raw reports they were made from.
-- Kept to SQL that PostgreSQL also runs.

CREATE TABLE rollups (
    app       VARCHAR(64) NOT NULL,
    -- first day of the period, ISO yyyy-mm-dd
    period    CHAR(10)    NOT NULL,
    -- how many raw reports the rollup was built from; a rebuild happens only when more are stored
    reports   BIGINT      NOT NULL,
    -- the rollup, JSON (every breakdown, group and item)
    body      TEXT        NOT NULL,
    PRIMARY KEY (app, period)
);

CREATE TABLE releases (
    -- the ledger's order, 1, 2, 3, … over all apps
    seq                 BIGINT           NOT NULL PRIMARY KEY,
    app                 VARCHAR(64)      NOT NULL,
    period              CHAR(10)         NOT NULL,
    breakdown           VARCHAR(32)      NOT NULL,
    epsilon             DOUBLE PRECISION NOT NULL,
    -- the sum of epsilon over this app's releases up to and including this one
    cumulative_epsilon  DOUBLE PRECISION NOT NULL,
    -- the release exactly as the stats API serves it, JSON
    body                TEXT             NOT NULL,
    UNIQUE (app, period, breakdown)
);
