/**
 * Durable storage of validated reports and catalog versions, behind the one small interface
 * {@link dev.candor.server.store.ReportStore}; {@link dev.candor.server.store.SqliteReportStore} is
 * the embedded implementation, {@link dev.candor.server.store.PostgresReportStore} the one for
 * several collector nodes on one PostgreSQL database, and {@link dev.candor.server.store.WorkLeases}
 * keeps the nodes' background jobs from doing the same unit of work twice. Nothing here ever holds
 * a peer address, a user agent or an arrival time: a stored report is exactly its validated wire
 * form (DESIGN §5) plus the columns to find it.
 *
 * <p>Migrations (Flyway, {@code src/main/resources/db/migration}): {@code common/} holds the SQL
 * both databases run and is where a new migration goes; {@code sqlite/} and {@code postgresql/}
 * hold only what must differ (V1's and V12's BLOB and BYTEA; PostgreSQL's V2 for several nodes;
 * V11's report layout), a version there always with its twin in the other. Versions V1–V9 belong to
 * the store, V10 and up to rollups, releases, {@link dev.candor.server.store.ServerSecrets} (V12) and
 * {@link dev.candor.server.store.EndedSignIns} (V13);
 * a version is never reused between {@code common/} and a dialect's folder.
 */
package dev.candor.server.store;
