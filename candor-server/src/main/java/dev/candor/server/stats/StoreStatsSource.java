package dev.candor.server.stats;

import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.rollup.RollupStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The numbers in a collector's own database: frozen releases and the ledger from
 * {@link ReleaseLedger}, exact rollups from {@link RollupStore}, read through the same JSON the
 * stats API serves, so every surface shows byte-for-byte what the API would. Thread-safe (each
 * call is its own database read).
 */
public final class StoreStatsSource implements StatsSource {

    private final ReleaseLedger ledger;
    private final RollupStore rollups;
    private final Supplier<List<String>> apps;

    public StoreStatsSource(ReleaseLedger ledger, RollupStore rollups) {
        this(ledger, rollups, null);
    }

    /** @param apps the apps with a catalog in the store, read at each call; null when not known */
    public StoreStatsSource(ReleaseLedger ledger, RollupStore rollups, Supplier<List<String>> apps) {
        this.ledger = ledger;
        this.rollups = rollups;
        this.apps = apps;
    }

    @Override
    public Optional<List<String>> knownApps() {
        return apps == null ? Optional.empty() : Optional.of(apps.get().stream().distinct().sorted().toList());
    }

    @Override
    public List<String> releasedPeriods(String app) {
        TreeSet<String> periods = new TreeSet<>();
        for (ReleaseLedger.Entry e : ledger.entries(app)) {
            periods.add(e.period());
        }
        return List.copyOf(periods);
    }

    @Override
    public Optional<StatsRelease> release(String app, String period, String by) {
        return ledger.release(app, period, by)
                .map(body -> StatsJson.parseRelease(body, "release of " + app + " " + period + " by " + by));
    }

    @Override
    public List<LedgerEntry> ledger(String app) {
        List<LedgerEntry> out = new ArrayList<>();
        for (ReleaseLedger.Entry e : ledger.entries(app)) {
            out.add(new LedgerEntry(e.app(), e.period(), e.breakdown(), e.epsilon(), e.cumulativeEpsilon()));
        }
        return out;
    }

    @Override
    public List<String> unreleasedPeriods(String app) {
        List<String> released = releasedPeriods(app);
        List<String> out = new ArrayList<>();
        for (String period : rollups.periods(app).keySet()) {
            if (!released.contains(period)) {
                out.add(period);
            }
        }
        return out;
    }

    @Override
    public Optional<StatsRelease> rollup(String app, String period, String by) {
        return rollups.load(app, period).map(r -> StatsJson.parseRelease(StatsJson.toJson(r.toJson(by), false),
                "rollup of " + app + " " + period + " by " + by));
    }
}
