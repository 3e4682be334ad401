-- Secrets the collector makes for itself, shared by every process on this database and kept across
-- restarts: one random value per name, created by the first process that needs it (INSERT … ON
-- CONFLICT DO NOTHING, then SELECT, so two processes starting at once end up with the same one).
-- 'dashboard-sign-in' keys the dashboard's sign-in cookies (DashboardRoutes, SignInCookies).
-- Deliberately nothing else: no address, user agent or time of any kind.
-- Twin of postgresql/V12 (BLOB here, BYTEA there).

CREATE TABLE server_secrets (
    name    VARCHAR(64) NOT NULL PRIMARY KEY,
    -- random bytes from SecureRandom, at least 32
    secret  BLOB        NOT NULL CHECK (length(secret) >= 32)
);
