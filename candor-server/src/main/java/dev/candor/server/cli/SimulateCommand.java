package dev.candor.server.cli;

import dev.candor.server.FailureReason;
import dev.candor.server.FileReplacement;
import dev.candor.server.simulate.PopulationSimulator;
import dev.candor.server.simulate.SimulationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code candor simulate}: plays a population of acme installs into a collector and writes what
 * they really did, so releases can be checked against the truth.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Play N acme installs over the last D closed days into a collector; write the ground truth.")
final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--installs", required = true, paramLabel = "N", description = "How many installs exist.")
    int installs;

    @Option(names = "--days", required = true, paramLabel = "D", description = "How many closed days, ending yesterday (1 to 21).")
    int days;

    @Option(names = "--target", required = true, paramLabel = "URL", description = "The collector, e.g. http://localhost:8080.")
    String target;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the population and its reports (default: random, printed).")
    Long seed;

    @Option(names = "--truth", paramLabel = "FILE", description = "Write the ground truth here, as JSON.")
    Path truth;

    @Option(names = "--parallel", defaultValue = "4", hidden = true, description = "Batches posted at once.")
    int parallel;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long s = seed != null ? seed : new SecureRandom().nextLong() >>> 1;
        PopulationSimulator.Settings settings;
        try {
            settings = new PopulationSimulator.Settings(installs, days, new URI(target), s, truth, parallel);
        } catch (URISyntaxException e) {
            err.println("candor simulate: --target \"" + target + "\" is not a URL; write it like http://localhost:8080");
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("candor simulate: " + e.getMessage());
            return 2;
        }
        if (truth != null) {
            try {
                FileReplacement.checkWritable(truth);
            } catch (IOException e) {
                // before any report is sent: the reports of a run whose truth is lost cannot be checked against it
                err.println("candor simulate: cannot write the truth file " + truth + ": " + FailureReason.of(e, truth)
                        + "; nothing was sent");
                return 2;
            }
        }
        boolean terminal = System.console() != null;
        PopulationSimulator.Progress progress = (period, done, total, sent) -> {
            if (terminal) {
                err.printf("\rsimulating %s: %,d of %,d installs, %,d reports sent   ", period, done, total, sent);
                err.flush();
            }
        };
        try {
            out.println("simulating " + installs + (installs == 1 ? " acme install" : " acme installs") + " over "
                    + days + (days == 1 ? " day" : " days") + " into " + target + " (seed " + s + ")");
            out.flush();
            PopulationSimulator.Outcome outcome = PopulationSimulator.run(settings, Clock.systemUTC(), progress);
            if (terminal) {
                err.println();
            }
            for (Map.Entry<String, Long> p : outcome.installsPerPeriod().entrySet()) {
                out.printf("%s: %,d installs reported%n", p.getKey(), p.getValue());
            }
            out.printf("sent %,d reports: %,d accepted, %,d duplicates%n", outcome.reports(), outcome.accepted(), outcome.duplicates());
            if (truth != null) {
                out.println("ground truth: " + truth);
            }
            return 0;
        } catch (SimulationException e) {
            if (terminal) {
                err.println();
            }
            err.println("candor simulate: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("candor simulate: cannot write the truth file " + truth + ": " + FailureReason.of(e, truth));
            return 1;
        }
    }
}
