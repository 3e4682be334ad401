package dev.candor.server.cli;

import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.ReportStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code candor rollup}: brings the rollups up to date now (what {@code serve} does in the background). */
@Command(name = "rollup", mixinStandardHelpOptions = true,
        description = "Roll up the raw reports stored since the last run (or rebuild one period with --period).")
final class RollupCommand extends OfflineStoreCommand {
    @Option(names = "--period", paramLabel = "YYYY-MM-DD", description = "Rebuild this period's rollup from its raw reports.")
    String period;

    @Option(names = "--app", paramLabel = "APP", description = "Only this app (default: every app with a catalog).")
    String app;

    @Override
    int run(ReportStore reports, PrintWriter out) {
        RollupJob job = new RollupJob(reports, new RollupStore(reports.dataSource()), Clock.systemUTC());
        if (period == null) {
            List<String> done = app == null ? job.rollUp() : job.rollUp(Periods.apps(app, CurrentCatalogs.load(reports).keySet()));
            out.println(done.isEmpty() ? "rollups are up to date" : "rolled up " + String.join(", ", done));
            return 0;
        }
        LocalDate day = Periods.parse(period);
        for (String name : Periods.apps(app, CurrentCatalogs.load(reports).keySet())) {
            out.println("rolled up " + name + " " + day + ": " + job.rollUp(name, day).reports() + " reports");
        }
        return 0;
    }
}
