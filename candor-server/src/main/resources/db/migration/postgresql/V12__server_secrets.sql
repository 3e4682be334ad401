-- Secrets the collector makes for itself, shared by every node on this database and kept across
-- restarts: one random value per name, created by the first node that needs it (INSERT … ON
-- CONFLICT DO NOTHING, then SELECT, so nodes starting at once all end up with the same one).
-- 'dashboard-sign-in' keys the dashboard's sign-in cookies (DashboardRoutes, SignInCookies).
-- Deliberately nothing else: no address, user agent or time of any kind.
-- Twin of sqlite/V12 (BYTEA here, BLOB there).

CREATE TABLE server_secrets (
    name    VARCHAR(64) NOT NULL PRIMARY KEY,
    -- random bytes from SecureRandom, at least 32
    secret  BYTEA       NOT NULL CHECK (octet_length(secret) >= 32)
);
