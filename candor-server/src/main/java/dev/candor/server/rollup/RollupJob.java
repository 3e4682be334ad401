package dev.candor.server.rollup;

import dev.candor.internal.catalog.Catalog;
import dev.candor.server.store.ReportStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Keeps rollups up to date and deletes raw reports past retention: the background job of
 * {@code candor serve} and the work of {@code candor rollup} and {@code candor retention}.
 *
 * <p>Incremental and idempotent: a period is rebuilt only when the store holds more raw reports
 * for it than its rollup counted (reports are only ever added, except by retention, which deletes
 * whole periods), so running the job again changes nothing. A period already rolled up is never
 * rebuilt once its raw reports are past retention, so late stragglers cannot replace the rollup of
 * the reports that retention deleted; retention then deletes the stragglers.
 */
public final class RollupJob {

    /** What one run did. */
    public record Outcome(List<String> rolledUp, List<Retention.Expiry> deleted) {
    }

    private final ReportStore reports;
    private final RollupStore rollups;
    private final Clock clock;
    private final Random random;

    public RollupJob(ReportStore reports, RollupStore rollups, Clock clock) {
        this(reports, rollups, clock, new SecureRandom());
    }

    /** With a given source for contribution bounding (tests only; production uses SecureRandom). */
    public RollupJob(ReportStore reports, RollupStore rollups, Clock clock, Random random) {
        this.reports = reports;
        this.rollups = rollups;
        this.clock = clock;
        this.random = random;
    }

    /** Rolls up every app's periods that have new reports; returns {@code app period} of each rebuilt one. */
    public List<String> rollUp() {
        return rollUp(CurrentCatalogs.load(reports).keySet());
    }

    /** {@link #rollUp()} for the named apps only (each must have a catalog in the store). */
    public List<String> rollUp(Collection<String> apps) {
        Map<String, Catalog> catalogs = CurrentCatalogs.load(reports);
        List<String> done = new ArrayList<>();
        for (String app : apps) {
            done.addAll(rollUp(app, catalogs.get(app)));
        }
        return done;
    }

    private List<String> rollUp(String app, Catalog catalog) {
        List<String> done = new ArrayList<>();
        Map<String, Long> counted = rollups.periods(app);
        LocalDate firstKept = Retention.firstKeptPeriod(catalog, clock.instant());
        for (ReportStore.PeriodCount period : reports.periods(app)) {
            String id = period.period().toString();
            Long already = counted.get(id);
            if (already != null && (period.reports() <= already || period.period().isBefore(firstKept))) {
                continue;
            }
            rollUp(app, catalog, period.period());
            done.add(app + " " + id);
        }
        return done;
    }

    /**
     * Rebuilds the rollup of one app's period from its raw reports, whatever was stored before
     * (unless the period has no raw reports left, in which case the stored rollup is kept), and
     * returns it.
     *
     * @throws IllegalArgumentException when the app has no catalog in the store, or the period has
     *     neither raw reports nor a rollup
     */
    public PeriodRollup rollUp(String app, LocalDate period) {
        Catalog catalog = CurrentCatalogs.load(reports).get(app);
        if (catalog == null) {
            throw new IllegalArgumentException("no catalog for app \"" + app + "\" in the store; "
                    + "start the collector with --catalog FILE for it");
        }
        boolean hasRaw = reports.periods(app).stream().anyMatch(p -> p.period().equals(period));
        if (!hasRaw) {
            return rollups.load(app, period.toString()).orElseThrow(() -> new IllegalArgumentException(
                    "no report of " + app + " for period " + period + " is stored, and none was rolled up before"));
        }
        return rollUp(app, catalog, period);
    }

    private PeriodRollup rollUp(String app, Catalog catalog, LocalDate period) {
        RollupBuilder builder = new RollupBuilder(app, period.toString(), new CatalogItems(catalog), random);
        reports.forEachReport(app, period, builder::add);
        PeriodRollup rollup = builder.build();
        rollups.save(rollup);
        return rollup;
    }

    /** Rolls up what is new, then deletes raw reports past retention: one run of the background job. */
    public Outcome run() {
        List<String> rolledUp = rollUp();
        List<Retention.Expiry> deleted = new Retention(reports, clock).apply();
        return new Outcome(rolledUp, deleted);
    }
}
