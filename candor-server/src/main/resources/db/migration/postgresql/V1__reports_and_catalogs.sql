-- Raw reports and catalog versions, as db/migration/sqlite/V1 but for PostgreSQL (BYTEA, not BLOB).
-- Deliberately absent: any address, user agent or arrival time.

CREATE TABLE catalog_versions (
    app            VARCHAR(64)  NOT NULL,
    sha256         CHAR(64)     NOT NULL,
    body           BYTEA        NOT NULL,
    -- orders an app's versions; the highest is the app's current catalog
    installed_seq  BIGINT       NOT NULL,
    PRIMARY KEY (app, sha256)
);

CREATE TABLE reports (
    report_id       CHAR(36)     NOT NULL PRIMARY KEY,
    app             VARCHAR(64)  NOT NULL,
    -- first day of the report's period, ISO yyyy-mm-dd
    period          CHAR(10)     NOT NULL,
    app_version     VARCHAR(32)  NOT NULL,
    catalog_sha256  CHAR(64)     NOT NULL,
    os              VARCHAR(16)  NOT NULL,
    arch            VARCHAR(16)  NOT NULL,
    runtime         VARCHAR(16)  NOT NULL,
    memory_tier     VARCHAR(16)  NOT NULL,
    install_method  VARCHAR(32)  NOT NULL,
    ci              SMALLINT     NOT NULL,
    -- the validated report, canonical compact JSON (wire format v1)
    body            TEXT         NOT NULL
);

CREATE INDEX reports_by_app_period ON reports (app, period);
