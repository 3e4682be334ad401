/**
 * Exact aggregates per app, period and breakdown, built incrementally from raw reports, and the
 * retention that deletes raw reports once their time is up (rollups and releases stay).
 */
package dev.candor.server.rollup;
