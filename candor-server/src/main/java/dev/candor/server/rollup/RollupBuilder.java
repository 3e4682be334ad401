package dev.candor.server.rollup;

import dev.candor.server.release.ContributionBound;
import dev.candor.server.release.Item;
import dev.candor.server.store.Report;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds one period's {@link PeriodRollup} from its raw reports, one report at a time, holding
 * only the aggregates (a few numbers per group and item), never the reports.
 *
 * <p>Each report's used items are bounded once, with {@link ContributionBound} on the given
 * random source (a {@link java.security.SecureRandom} outside tests), and the same selection
 * counts in every breakdown. Not thread-safe: one builder per period and thread.
 */
public final class RollupBuilder {

    private static final int USING = 0;
    private static final int BOUNDED = 1;
    private static final int TOTAL = 2;

    private final String app;
    private final String period;
    private final CatalogItems catalog;
    private final Random random;
    private final Map<Breakdown, Map<String, GroupAccumulator>> groups = new EnumMap<>(Breakdown.class);
    private long reports;

    public RollupBuilder(String app, String period, CatalogItems catalog, Random random) {
        this.app = app;
        this.period = period;
        this.catalog = catalog;
        this.random = random;
        for (Breakdown b : Breakdown.values()) {
            groups.put(b, new LinkedHashMap<>());
        }
    }

    private static final class GroupAccumulator {
        long installs;
        final Map<Item, long[]> items = new LinkedHashMap<>();
    }

    /** Counts one report in every breakdown. */
    public void add(Report report) {
        reports++;
        Map<Item, Long> totals = catalog.totals(report);
        List<Item> used = catalog.used(totals);
        Set<Item> usedSet = new HashSet<>(used);
        Set<Item> kept = new HashSet<>(ContributionBound.select(used, catalog.m(), random));
        for (Breakdown b : Breakdown.values()) {
            String value = b.valueOf(report);
            GroupAccumulator group = groups.get(b).computeIfAbsent(value == null ? "" : value, v -> new GroupAccumulator());
            group.installs++;
            for (Map.Entry<Item, Long> e : totals.entrySet()) {
                long[] counts = group.items.computeIfAbsent(e.getKey(), i -> new long[3]);
                counts[TOTAL] += e.getValue();
                if (usedSet.contains(e.getKey())) {
                    counts[USING]++;
                }
                if (kept.contains(e.getKey())) {
                    counts[BOUNDED]++;
                }
            }
        }
    }

    /** The rollup of every report added so far. */
    public PeriodRollup build() {
        List<PeriodRollup.BreakdownRollup> breakdowns = new ArrayList<>();
        for (Breakdown b : Breakdown.values()) {
            Map<String, GroupAccumulator> seen = groups.get(b);
            List<PeriodRollup.GroupRollup> out = new ArrayList<>();
            if (b == Breakdown.OVERALL) {
                out.add(group(b, null, seen.getOrDefault("", new GroupAccumulator())));
            } else {
                Map<String, GroupAccumulator> remaining = new TreeMap<>(seen);
                if (b.fixedValues() != null) {
                    for (String value : b.fixedValues()) {
                        GroupAccumulator g = remaining.remove(value);
                        out.add(group(b, value, g == null ? new GroupAccumulator() : g));
                    }
                }
                remaining.forEach((value, g) -> out.add(group(b, value, g)));
            }
            breakdowns.add(new PeriodRollup.BreakdownRollup(b.dimension(), out));
        }
        return new PeriodRollup(app, period, reports, catalog.m(), catalog.catalog().sha256(),
                catalog.noisedEvents(), breakdowns);
    }

    private PeriodRollup.GroupRollup group(Breakdown b, String value, GroupAccumulator g) {
        List<PeriodRollup.ItemRollup> items = new ArrayList<>();
        Map<Item, long[]> remaining = new LinkedHashMap<>(g.items);
        for (Item item : catalog.fixedItems()) {
            long[] counts = remaining.remove(item);
            items.add(itemRollup(item, false, counts == null ? new long[3] : counts));
        }
        // Items the catalog does not fix, in a stable order that does not reveal arrival order.
        remaining.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(java.util.Comparator.comparing(Item::toString)))
                .forEach(e -> items.add(itemRollup(e.getKey(), true, e.getValue())));
        Map<String, String> key = value == null ? Map.of() : Map.of(b.dimension(), value);
        return new PeriodRollup.GroupRollup(key, value != null && b.isOpen(value), g.installs, items);
    }

    private PeriodRollup.ItemRollup itemRollup(Item item, boolean open, long[] counts) {
        boolean noised = catalog.isNoised(item.event());
        return new PeriodRollup.ItemRollup(item, open, noised, noised ? 0 : counts[USING],
                noised ? 0 : counts[BOUNDED], counts[TOTAL]);
    }
}
