package dev.candor.server.cli;

import dev.candor.server.rollup.Retention;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.ReportStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code candor retention}: deletes raw reports older than their catalog's {@code retention_days},
 * after rolling up what is new so nothing is deleted uncounted; rollups and releases stay.
 */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Delete raw reports older than each catalog's retention_days (rollups and releases are kept).")
final class RetentionCommand extends OfflineStoreCommand {
    @Option(names = "--dry-run", description = "Say what would be deleted, and delete nothing.")
    boolean dryRun;

    @Override
    int run(ReportStore reports, PrintWriter out) {
        Retention retention = new Retention(reports, Clock.systemUTC());
        List<Retention.Expiry> expiries;
        if (dryRun) {
            expiries = retention.due();
        } else {
            new RollupJob(reports, new RollupStore(reports.dataSource()), Clock.systemUTC()).rollUp();
            expiries = retention.apply();
        }
        if (expiries.isEmpty()) {
            out.println("nothing is past retention");
        }
        for (Retention.Expiry e : expiries) {
            out.println((dryRun ? "would delete " : "deleted ") + e);
        }
        return 0;
    }
}
