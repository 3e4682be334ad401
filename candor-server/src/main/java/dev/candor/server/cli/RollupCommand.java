package dev.candor.server.cli;

import dev.candor.server.rollup.CurrentCatalogs;
import dev.candor.server.rollup.RollupJob;
import dev.candor.server.rollup.RollupStore;
import dev.candor.server.store.ReportStore;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code candor rollup}: brings the rollups up to date now (what {@code serve} does in the background). */
@Command(name = "rollup", mixinStandardHelpOptions = true,
        description = "Roll up the raw reports stored since the last run (or rebuild one period with --period).")
final class RollupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--period", paramLabel = "YYYY-MM-DD", description = "Rebuild this period's rollup from its raw reports.")
    String period;

    @Option(names = "--app", description = "Only this app (default: every app with a catalog).")
    String app;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ReportStore reports = store.open()) {
            RollupJob job = new RollupJob(reports, new RollupStore(reports.dataSource()), Clock.systemUTC());
            if (period == null) {
                List<String> done = job.rollUp();
                out.println(done.isEmpty() ? "rollups are up to date" : "rolled up " + String.join(", ", done));
                return 0;
            }
            LocalDate day = Periods.parse(period);
            for (String name : Periods.apps(app, CurrentCatalogs.load(reports).keySet())) {
                out.println("rolled up " + name + " " + day + ": " + job.rollUp(name, day).reports() + " reports");
            }
            return 0;
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println("candor rollup: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("candor rollup: " + e.getMessage());
            return 1;
        }
    }
}
