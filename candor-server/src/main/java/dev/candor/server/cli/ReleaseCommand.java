package dev.candor.server.cli;

import dev.candor.internal.catalog.Catalog;
import dev.candor.server.release.ReleaseJob;
import dev.candor.server.release.ReleaseLedger;
import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.ReportStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code candor release}: makes the releases that are due, or, with {@code --period}, releases that
 * closed period now without waiting for its grace time. A release is frozen: a breakdown already
 * released is left as it is.
 */
@Command(name = "release", mixinStandardHelpOptions = true,
        description = "Make the private releases that are due; --period P forces the release of closed period P now.")
final class ReleaseCommand extends OfflineStoreCommand {
    @Mixin
    ReleaseOptions options;

    @Option(names = "--period", paramLabel = "YYYY-MM-DD", description = "Release this closed period now (after rolling it up).")
    String period;

    @Option(names = "--app", paramLabel = "APP", description = "Only this app (default: every app with a catalog).")
    String app;

    @Override
    int run(ReportStore reports, PrintWriter out) {
        RollupStore rollups = new RollupStore(reports.dataSource());
        RollupJob rollupJob = new RollupJob(reports, rollups, Clock.systemUTC());
        ReleaseJob releaseJob = new ReleaseJob(rollups, new ReleaseLedger(reports.dataSource()), options.policy(), Clock.systemUTC());
        Map<String, Catalog> catalogs = CurrentCatalogs.load(reports);
        List<ReleaseLedger.Entry> made = new ArrayList<>();
        if (period == null) {
            Map<String, Catalog> chosen = catalogs;
            if (app != null) { // --app limits the due releases too, not only a forced --period
                chosen = new LinkedHashMap<>(catalogs);
                chosen.keySet().retainAll(Periods.apps(app, catalogs.keySet()));
                rollupJob.rollUp(chosen.keySet());
            } else {
                rollupJob.rollUp();
            }
            made.addAll(releaseJob.releaseDue(chosen));
            if (made.isEmpty()) {
                out.println("no release is due");
            }
        } else {
            LocalDate day = Periods.parse(period);
            List<String> names = Periods.apps(app, catalogs.keySet());
            List<String> releasedBefore = new ArrayList<>();
            int skipped = 0;
            for (String name : names) {
                releaseJob.requireClosed(name, catalogs.get(name), day.toString());
                try {
                    rollupJob.rollUp(name, day);
                } catch (IllegalArgumentException e) {
                    if (app != null) {
                        throw e;
                    }
                    out.println("skipped " + name + ": " + e.getMessage());
                    skipped++;
                    continue;
                }
                List<ReleaseLedger.Entry> now = releaseJob.release(name, catalogs.get(name), day.toString());
                if (now.isEmpty()) {
                    releasedBefore.add(name);
                }
                made.addAll(now);
            }
            // say only what is true: "released before" is said of an app whose ledger holds the period
            for (String name : releasedBefore) {
                out.println("period " + period + " of " + name + " was released before; its releases stay as they are");
            }
            if (skipped == names.size()) {
                throw new IllegalArgumentException("nothing released: no app has reports for period " + period);
            }
        }
        for (ReleaseLedger.Entry e : made) {
            out.printf("released %s %s by %s: epsilon %s, cumulative epsilon %s%n",
                    e.app(), e.period(), e.breakdown(), e.epsilon(), e.cumulativeEpsilon());
        }
        return 0;
    }
}
