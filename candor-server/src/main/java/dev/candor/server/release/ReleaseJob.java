package dev.candor.server.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.candor.internal.catalog.Catalog;
import dev.candor.server.rollup.Breakdown;
import dev.candor.server.rollup.PeriodRollup;
import dev.candor.server.rollup.RollupStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Makes releases from rollups: once per closed period and breakdown, after the grace time (or at
 * once when forced), each frozen in the {@link ReleaseLedger} so it is never noised again.
 */
public final class ReleaseJob {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RollupStore rollups;
    private final ReleaseLedger ledger;
    private final ReleasePolicy policy;
    private final Clock clock;
    private final Random random;

    public ReleaseJob(RollupStore rollups, ReleaseLedger ledger, ReleasePolicy policy, Clock clock) {
        this(rollups, ledger, policy, clock, new SecureRandom());
    }

    /** With a given noise source (tests only; production uses SecureRandom). */
    public ReleaseJob(RollupStore rollups, ReleaseLedger ledger, ReleasePolicy policy, Clock clock, Random random) {
        this.rollups = rollups;
        this.ledger = ledger;
        this.policy = policy;
        this.clock = clock;
        this.random = random;
    }

    /** Releases every rolled-up period whose grace time is over and that is not fully released yet. */
    public List<ReleaseLedger.Entry> releaseDue(Map<String, Catalog> catalogs) {
        List<ReleaseLedger.Entry> made = new ArrayList<>();
        Instant now = clock.instant();
        for (Map.Entry<String, Catalog> app : catalogs.entrySet()) {
            for (String period : rollups.periods(app.getKey()).keySet()) {
                if (!app.getValue().period().end(period).plus(policy.grace()).isAfter(now)) {
                    made.addAll(releaseNow(app.getKey(), period));
                }
            }
        }
        return made;
    }

    /**
     * Releases the app's period now, grace time or not: every breakdown not released yet. Returns
     * the new ledger entries (none when all were frozen before).
     *
     * @throws IllegalArgumentException when the period is not closed yet or was never rolled up
     */
    public List<ReleaseLedger.Entry> release(String app, Catalog catalog, String period) {
        requireClosed(app, catalog, period);
        return releaseNow(app, period);
    }

    /**
     * Checks that {@code period} names a period of the catalog that is over.
     *
     * @throws IllegalArgumentException saying which, when it does not
     */
    public void requireClosed(String app, Catalog catalog, String period) {
        if (!catalog.period().isId(period)) {
            throw new IllegalArgumentException("\"" + period + "\" is not a period of " + app + " (its periods are "
                    + catalog.period().jsonName() + "s named by their first day, yyyy-mm-dd"
                    + (catalog.period() == Catalog.Period.WEEK ? ", a Monday" : "") + ")");
        }
        Instant end = catalog.period().end(period);
        if (end.isAfter(clock.instant())) {
            throw new IllegalArgumentException("period " + period + " of " + app + " is not closed yet (it ends at " + end
                    + "); a release is made only once its period is over");
        }
    }

    private List<ReleaseLedger.Entry> releaseNow(String app, String period) {
        PeriodRollup rollup = rollups.load(app, period).orElseThrow(() -> new IllegalArgumentException(
                "no rollup of " + app + " " + period + ": no report for that period was stored (or it was never rolled up)"));
        List<String> notes = new ArrayList<>();
        rollup.noisedEvents().forEach(e -> notes.add(PeriodRollup.noisedNote(e)));
        List<ReleaseLedger.Entry> made = new ArrayList<>();
        for (Breakdown b : Breakdown.values()) {
            if (ledger.release(app, period, b.dimension()).isPresent()) {
                continue;
            }
            Release release = ReleaseMechanism.release(app, period, rollup.boundedCounts(b.dimension()),
                    policy.epsilon(b.dimension()), rollup.m(), notes, random);
            String body;
            try {
                body = JSON.writeValueAsString(release.toJson());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the release of " + app + " " + period, e);
            }
            ledger.freeze(release, body).ifPresent(made::add);
        }
        return made;
    }
}
