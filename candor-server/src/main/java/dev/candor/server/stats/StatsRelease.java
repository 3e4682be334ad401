package dev.candor.server.stats;

import java.util.List;
import java.util.Optional;

/**
 * The numbers of one app, one period and one breakdown, as the stats API returns them
 * (issue 5's contract): a frozen private release, or — for a maintainer — the exact rollup of
 * the same shape, which has no epsilon and no intervals.
 *
 * @param by {@code overall} or a dimension from {@link Breakdowns#DIMENSIONS}
 * @param epsilon the privacy budget this breakdown spent; {@code null} for an exact rollup
 * @param m the most items one report may mark as used; {@code null} for an exact rollup
 */
public record StatsRelease(String app, String period, String by, Double epsilon, Integer m,
                           List<StatsGroup> groups) {

    public StatsRelease {
        groups = List.copyOf(groups);
    }

    /** Whether these are exact, un-noised numbers (a maintainer's view of a rollup). */
    public boolean exact() {
        return epsilon == null;
    }

    /** The overall group, when this is the overall breakdown. */
    public Optional<StatsGroup> overall() {
        return groups.stream().filter(g -> g.key().isEmpty()).findFirst();
    }
}
