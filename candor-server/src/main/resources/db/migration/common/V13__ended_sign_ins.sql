-- Dashboard sign-ins a maintainer signed out of (DashboardRoutes, EndedSignIns), so that a copy of
-- the cookie taken before sign-out is refused by every node on this database, and after a restart.
-- A row is the cookie's random id (22 base64url characters, nothing derived from the admin token or
-- the secret) and the cookie's own expiry, after which the cookie is refused anyway and the row is
-- dropped. Nothing about who signed out, from where, or when.
-- One migration for both databases: no type differs.

CREATE TABLE ended_sign_ins (
    id       VARCHAR(32) NOT NULL PRIMARY KEY,
    -- the sign-in's expiry, epoch seconds
    expires  BIGINT      NOT NULL
);
