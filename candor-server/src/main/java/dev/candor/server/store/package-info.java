/**
 * Durable storage of validated reports and catalog versions, behind the one small interface
 * {@link dev.candor.server.store.ReportStore}; {@link dev.candor.server.store.SqliteReportStore} is
 * the embedded implementation. Nothing here ever holds a peer address, a user agent or an arrival
 * time: a stored report is exactly its validated wire form (DESIGN §5) plus the columns to find it.
 */
package dev.candor.server.store;
