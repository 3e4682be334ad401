package dev.candor.server.cli;

import dev.candor.server.rollup.Retention;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.ReportStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code candor retention}: deletes raw reports older than their catalog's {@code retention_days},
 * after rolling up what is new so nothing is deleted uncounted; rollups and releases stay.
 */
@Command(name = "retention", mixinStandardHelpOptions = true,
        description = "Delete raw reports older than each catalog's retention_days (rollups and releases are kept).")
final class RetentionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--dry-run", description = "Say what would be deleted, and delete nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ReportStore reports = store.open()) {
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
        } catch (IllegalArgumentException e) {
            err.println("candor retention: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("candor retention: " + e.getMessage());
            return 1;
        }
    }
}
