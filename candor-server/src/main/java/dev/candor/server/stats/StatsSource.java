package dev.candor.server.stats;

import java.util.List;
import java.util.Optional;

/**
 * Where the dashboard and {@code candor stats} read numbers from: the frozen releases, the
 * public ledger, and — for a maintainer only — the exact rollups of periods not yet released.
 * The collector's store implements it; tests use {@link JsonFilesStatsSource} over fixtures in
 * the stats API's exact shape, and {@link HttpStatsSource} reads a running collector.
 * Implementations must be safe to call from several request threads at once.
 */
public interface StatsSource {

    /** The periods of {@code app} that have a release, oldest first. */
    List<String> releasedPeriods(String app);

    /** The frozen release of one period and breakdown, if it was made. */
    Optional<StatsRelease> release(String app, String period, String by);

    /** Every release of {@code app} in the order they were made. */
    List<LedgerEntry> ledger(String app);

    /** Periods with stored reports but no release yet (open, or waiting out the grace time), oldest first. */
    List<String> unreleasedPeriods(String app);

    /** The exact, un-noised numbers of one period and breakdown; never shown publicly. */
    Optional<StatsRelease> rollup(String app, String period, String by);

    /**
     * The apps this source has a catalog of, sorted, so that an app it does not know is told apart from
     * one with nothing released yet; empty when the source cannot tell (then every app is taken as known).
     */
    default Optional<List<String>> knownApps() {
        return Optional.empty();
    }
}
