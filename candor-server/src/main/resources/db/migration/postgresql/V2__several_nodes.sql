-- What several collector nodes on one database need beyond the single-node schema.

-- Catalog versions are ordered by one sequence instead of MAX(installed_seq) + 1, so two nodes
-- installing a catalog at the same moment never compute the same number.
CREATE SEQUENCE catalog_install_seq;
SELECT setval('catalog_install_seq', COALESCE(MAX(installed_seq), 0) + 1, false) FROM catalog_versions;

-- One row per unit of background work (rollup of an app's period, retention, releases) held by a
-- node; a row whose expires_at has passed is free to take. Judged by the database's clock.
CREATE TABLE work_leases (
    unit        VARCHAR(200) NOT NULL PRIMARY KEY,
    -- a random id the node chose at start; nothing about its host
    holder      CHAR(36)     NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL
);
