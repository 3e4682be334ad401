package dev.candor.server.cli;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.server.FailureReason;
import dev.candor.server.FileReplacement;
import dev.candor.server.docs.TelemetryDocs;
import dev.candor.server.release.ReleaseMechanism;
import dev.candor.server.release.ReleasePolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code candor catalog check|docs FILE}: a maintainer's tools for the one file that says what
 * an app may collect. Both read the catalog with the SDK's own parser, so a catalog that passes
 * {@code check} is exactly one the SDK and the collector accept, and its problems are reported in
 * the SDK's words, every one of them at once.
 */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Check an app's catalog, or generate its TELEMETRY.md from it.",
        subcommands = {CatalogCommand.Check.class, CatalogCommand.Docs.class})
public final class CatalogCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a subcommand: says so and lists them, with the usage help below, and exits 2, as {@code candor} alone does. */
    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "name a subcommand: "
                + String.join(" or ", spec.subcommands().keySet().stream().filter(name -> !name.equals("help")).toList())
                + ", for example: candor catalog check FILE");
    }

    /** Reads and validates a catalog, printing every problem; {@code null} when it is not usable. */
    static Catalog load(Path file, PrintWriter err) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            err.println(file + ": no such file");
            return null;
        } catch (IOException e) {
            err.println(file + ": cannot read it: " + FailureReason.of(e, file));
            return null;
        }
        try {
            return CatalogParser.parse(bytes, file.getFileName().toString());
        } catch (CatalogException e) {
            for (String problem : e.problems()) {
                err.println("error: " + problem);
            }
            err.println(e.problems().size() == 1 ? "1 problem; the catalog is not valid"
                    : e.problems().size() + " problems; the catalog is not valid");
            return null;
        }
    }

    /** {@code candor catalog check FILE}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a catalog with the SDK's own rules.",
                    "Exit 0 when it is valid (warnings are printed), 1 with every problem listed when it is not."})
    static final class Check implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The catalog, e.g. src/main/resources/META-INF/candor/catalog.json")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Catalog catalog = load(file, err);
            if (catalog == null) {
                err.flush();
                return 1;
            }
            for (String warning : catalog.warnings()) {
                err.println("warning: " + warning);
            }
            out.println(String.format(Locale.ROOT, "%s: valid catalog of %s: %d events, %,d cells, %d-day retention%s",
                    file, catalog.app(), catalog.events().size(), catalog.totalCells(), catalog.retentionDays(),
                    catalog.warnings().isEmpty() ? "" : ", " + catalog.warnings().size()
                            + (catalog.warnings().size() == 1 ? " warning" : " warnings")));
            out.flush();
            err.flush();
            return 0;
        }
    }

    /** {@code candor catalog docs FILE}. */
    @Command(name = "docs", mixinStandardHelpOptions = true,
            description = {"Write the app's TELEMETRY.md from its catalog.",
                    "What is collected, how to see it, how to turn it off, what is published and how private it is, "
                            + "and an announcement to post."})
    static final class Docs implements Callable<Integer> {

        enum Format { md, html }

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "The app's catalog.")
        Path file;

        @Option(names = "--format", paramLabel = "md|html", defaultValue = "md",
                description = "md (default) for TELEMETRY.md, html for a self-contained page.")
        Format format;

        @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of to standard output.")
        Path outFile;

        @Option(names = "--epsilon", paramLabel = "E", description = "ε per breakdown the collector releases with (default: ${DEFAULT-VALUE}).")
        double epsilon = ReleaseMechanism.DEFAULT_EPSILON;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                err.println("candor catalog docs: --epsilon must be a positive number, got " + epsilon);
                return 2;
            }
            Catalog catalog = load(file, err);
            if (catalog == null) {
                err.flush();
                return 1;
            }
            TelemetryDocs docs = new TelemetryDocs(catalog,
                    new ReleasePolicy(epsilon, Map.of(), ReleasePolicy.DEFAULT_GRACE));
            String text = format == Format.html ? docs.html() : docs.markdown();
            if (outFile == null) {
                PrintWriter out = spec.commandLine().getOut();
                out.print(text);
                out.flush();
                return 0;
            }
            try {
                FileReplacement.writeString(outFile, text);
            } catch (IOException e) {
                err.println("candor catalog docs: cannot write " + outFile + ": " + FailureReason.of(e, outFile));
                err.flush();
                return 1;
            }
            return 0;
        }
    }
}
