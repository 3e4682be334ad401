package dev.candor.server.stats;

/**
 * One line of an app's public privacy ledger: a release spent {@code epsilon} on one breakdown of
 * one period, bringing the app's total to {@code cumulativeEpsilon}.
 */
public record LedgerEntry(String app, String period, String breakdown, double epsilon,
                          double cumulativeEpsilon) {
}
