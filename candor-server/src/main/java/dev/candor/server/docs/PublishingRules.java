package dev.candor.server.docs;

/**
 * How the collector turns reports into public numbers (DESIGN §7), as the documents state it.
 * The collector passes the values it actually runs with; {@link #DEFAULTS} are the design's.
 *
 * @param epsilonPerBreakdown ε spent by one breakdown of one period
 * @param maxItemsPerReport m before the catalog's own limit: the most items one report may mark as used
 * @param minInstalls a number is withheld when its noisy installs are under this
 * @param minCount a number is withheld when its noisy count is under this
 * @param graceDays how long after a period closes late reports are still counted before its release
 */
public record PublishingRules(double epsilonPerBreakdown, int maxItemsPerReport, int minInstalls, int minCount,
                              int graceDays) {

    public static final PublishingRules DEFAULTS = new PublishingRules(0.5, 32, 100, 20, 2);
}
