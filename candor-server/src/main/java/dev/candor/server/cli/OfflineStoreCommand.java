package dev.candor.server.cli;

import dev.candor.server.store.ReportStore;
import java.io.PrintWriter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The shape the offline commands ({@code rollup}, {@code retention}, {@code release}) share: find the
 * collector's data ({@link StoreOptions}), open the store, do the command's work, close the store;
 * a wrong argument or missing data exits 2 and any other failure 1, each with one line
 * {@code candor <command>: <what happened>} on stderr.
 */
abstract class OfflineStoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    /**
     * The command's work on the open store; prints to {@code out}.
     *
     * @return the exit code
     * @throws IllegalArgumentException for an argument that cannot be used (exit 2)
     */
    abstract int run(ReportStore reports, PrintWriter out);

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (ReportStore reports = store.open()) {
            return run(reports, spec.commandLine().getOut());
        } catch (IllegalArgumentException | DateTimeParseException e) {
            err.println("candor " + spec.name() + ": " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {
            err.println("candor " + spec.name() + ": " + e.getMessage());
            return 1;
        }
    }
}
