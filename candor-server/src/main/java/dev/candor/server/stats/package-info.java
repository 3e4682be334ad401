/**
 * The published numbers as every surface reads them: the stats API's JSON shape (issue 5's
 * contract) as plain types, and {@link dev.candor.server.stats.StatsSource}, the one small interface the
 * dashboard and {@code candor stats} take their numbers from.
 */
package dev.candor.server.stats;
