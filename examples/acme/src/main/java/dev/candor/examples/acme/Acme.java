package dev.candor.examples.acme;

import dev.candor.Telemetry;
import dev.candor.TelemetryOptions;
import dev.candor.Timing;
import dev.candor.picocli.TelemetryCommand;
import dev.candor.picocli.TelemetryCommandLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Acme, a small file toolkit, and the example of how a picocli app embeds Candor: one call,
 * {@link TelemetryCommandLine#start}, gives every command {@code --no-telemetry} and
 * {@code --debug-telemetry}, puts the status line into {@code --version} and {@code --help}, and adds the
 * {@code telemetry} command; the file commands time themselves and count errors by type. Exit codes:
 * 0 done, 1 the command failed, 2 usage error. (README.md shows the same with a plain {@code main}.)
 */
@Command(name = "acme", mixinStandardHelpOptions = true, version = "acme " + Acme.VERSION,
        description = "A small file toolkit.",
        subcommands = {Acme.Count.class, Acme.Hash.class, Acme.Convert.class, Acme.Help.class})
public final class Acme implements Callable<Integer> {
    static final String VERSION = "2.0.0";

    /** This run's telemetry, started before the command runs. */
    Telemetry telemetry;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        int code = run(args);
        System.out.flush();
        System.exit(code);
    }

    static int run(String... args) {
        Acme acme = new Acme();
        // A flag given twice (-h -h, --version --version, count -h --help: a wrapper script adding it again)
        // means what it means once; acme's options are all flags, so "overwritten" never drops a value.
        CommandLine cli = new CommandLine(acme).setParameterExceptionHandler(Acme::badArguments)
                .setOverwrittenOptionsAllowed(true);
        TelemetryOptions.Builder options = TelemetryOptions.builder()
                .appVersion(VERSION)
                .installMethod(System.getProperty("acme.installMethod"));
        try (TelemetryCommandLine telemetry = TelemetryCommandLine.start(cli, options, args)) {
            acme.telemetry = telemetry.telemetry();
            return telemetry.execute();
        }
    }

    /** {@code acme} alone: the usage (with the status line), as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /**
     * Arguments that do not fit: say what was expected (for a mistyped command or option, what it may have
     * meant: {@code acme: unknown command "cuont"; did you mean count or convert?}), then the usage, on stderr;
     * exit code 2.
     */
    private static int badArguments(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        Object command = cmd.getCommandSpec().userObject();
        List<String> unmatched = e instanceof UnmatchedArgumentException
                ? ((UnmatchedArgumentException) e).getUnmatched() : List.of();
        boolean onlyOperands = unmatched.stream().noneMatch(a -> a.startsWith("-"));
        String telemetryProblem = TelemetryCommand.usageProblem(e);
        if (telemetryProblem != null) {
            err.println(telemetryProblem);
        } else if (command instanceof FileCommand && (e instanceof MissingParameterException || !unmatched.isEmpty() && onlyOperands)) {
            FileCommand file = (FileCommand) command;
            int given = operandsAfter(cmd.getCommandName(), args);
            err.println("acme " + cmd.getCommandName() + ": expected " + file.operandNames() + ", got " + given
                    + (given == 1 ? " argument" : " arguments"));
        } else if (command instanceof Acme && !unmatched.isEmpty() && onlyOperands) {
            err.println("acme: unknown command \"" + unmatched.get(0) + "\"" + didYouMean(e));
        } else {
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage() + didYouMean(e));
        }
        cmd.usage(err);
        return 2;
    }

    /**
     * {@code ; did you mean --no-telemetry?} for names a few typing mistakes away from the mistyped one, else
     * empty. picocli's suggestions alone are loose ("frobnicate": did you mean telemetry?), so each must be
     * within two edits (a quarter of a long name).
     */
    private static String didYouMean(ParameterException e) {
        List<String> unmatched = e instanceof UnmatchedArgumentException
                ? ((UnmatchedArgumentException) e).getUnmatched() : List.of();
        if (unmatched.isEmpty()) {
            return "";
        }
        String typed = unmatched.get(0).split("=", 2)[0];
        List<String> close = new java.util.ArrayList<>();
        for (String name : ((UnmatchedArgumentException) e).getSuggestions()) {
            if (close.size() < 3 && edits(typed, name) <= Math.max(2, name.length() / 4)) {
                close.add(name);
            }
        }
        return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
    }

    /** The Levenshtein distance: how many letters to insert, delete or replace to turn {@code a} into {@code b}. */
    static int edits(String a, String b) {
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            row[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int above = row[j];
                row[j] = Math.min(Math.min(row[j] + 1, row[j - 1] + 1), diagonal + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.length()];
    }

    private static int operandsAfter(String commandName, String[] args) {
        String[] rest = Telemetry.withoutTelemetryFlags(args);
        int at = Arrays.asList(rest).indexOf(commandName);
        int n = 0;
        for (int i = at + 1; i < rest.length; i++) {
            if (!rest[i].startsWith("-")) {
                n++;
            }
        }
        return n;
    }

    /**
     * {@code acme help [COMMAND...]}: the usage of acme, or of the command named, down any depth: {@code acme
     * help telemetry show} shows the help of {@code telemetry show}. (picocli's own {@code HelpCommand} reads
     * one name only, so it showed the help of {@code telemetry} and ignored {@code show}, and a wrong second
     * name as well.) A name that is no command is a usage error.
     */
    @Command(name = "help", helpCommand = true, description = "Display help information about the specified command.")
    static final class Help implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show the help of the help command and exit.")
        boolean help;

        @Parameters(paramLabel = "COMMAND", arity = "0..*",
                description = "The command to show the help of; a command of a command after it (telemetry show).")
        List<String> names = List.of();

        @Override
        public Integer call() {
            CommandLine command = spec.root().commandLine();
            for (String name : names) {
                CommandLine sub = command.getSubcommands().get(name);
                if (sub == null) {
                    throw new ParameterException(spec.commandLine(), command.getCommandSpec().qualifiedName()
                            + " has no command \"" + name + "\"" + (command.getSubcommands().isEmpty() ? ""
                            : "; its commands are " + String.join(", ", command.getSubcommands().keySet())));
                }
                command = sub;
            }
            command.usage(spec.commandLine().getOut(), spec.commandLine().getColorScheme());
            return 0;
        }
    }

    /** A command that reads a file: timed as {@code command_run}, its input size and errors counted. */
    abstract static class FileCommand implements Callable<Integer> {
        @ParentCommand
        Acme acme;

        @Spec
        CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        /** How the operands are named in messages: {@code FILE}, {@code IN.csv OUT.json}. */
        abstract String operandNames();

        abstract String input();

        abstract void run(Path input, PrintWriter out) throws IOException, CsvToJson.CsvException;

        @Override
        public Integer call() {
            Telemetry telemetry = acme.telemetry;
            String command = spec.name();
            Timing timing = telemetry.time("command_run", "command", command);
            boolean success = false;
            try {
                Path input = Paths.get(input());
                telemetry.counter("input_size", "size", sizeBucket(Files.size(input))).increment();
                run(input, spec.commandLine().getOut());
                spec.commandLine().getOut().flush();
                success = true;
                return 0;
            } catch (IOException | CsvToJson.CsvException | RuntimeException e) {
                telemetry.error(e);
                spec.commandLine().getErr().println("acme " + command + ": " + describe(e));
                return 1;
            } finally {
                timing.stop("success", String.valueOf(success));
            }
        }
    }

    @Command(name = "count", description = "Lines, words and bytes of FILE.")
    static final class Count extends FileCommand {
        @Parameters(paramLabel = "FILE", description = "The file to count.")
        String file;

        @Override
        String operandNames() {
            return "FILE";
        }

        @Override
        String input() {
            return file;
        }

        @Override
        void run(Path input, PrintWriter out) throws IOException {
            FileStats stats = FileStats.count(input);
            out.println(stats.lines + " " + stats.words + " " + stats.bytes + " " + file);
        }
    }

    @Command(name = "hash", description = "The SHA-256 of FILE.")
    static final class Hash extends FileCommand {
        @Parameters(paramLabel = "FILE", description = "The file to hash.")
        String file;

        @Override
        String operandNames() {
            return "FILE";
        }

        @Override
        String input() {
            return file;
        }

        @Override
        void run(Path input, PrintWriter out) throws IOException {
            out.println(FileStats.sha256(input) + "  " + file);
        }
    }

    @Command(name = "convert", description = "CSV with a header row to a JSON array of objects.")
    static final class Convert extends FileCommand {
        @Parameters(index = "0", paramLabel = "IN.csv", description = "The CSV file to read (UTF-8).")
        String in;

        @Parameters(index = "1", paramLabel = "OUT.json", description = "The JSON file to write.")
        String out;

        @Override
        String operandNames() {
            return "IN.csv OUT.json";
        }

        @Override
        String input() {
            return in;
        }

        @Override
        void run(Path input, PrintWriter ignored) throws IOException, CsvToJson.CsvException {
            String csv = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(input))).toString();
            Files.write(Paths.get(out), CsvToJson.convert(csv, in).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The catalog's {@code input_size} buckets. */
    static String sizeBucket(long bytes) {
        if (bytes < 1024) {
            return "<1KB";
        }
        if (bytes < 1024L * 1024) {
            return "1KB-1MB";
        }
        return bytes < 100L * 1024 * 1024 ? "1MB-100MB" : ">100MB";
    }

    private static String describe(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file: " + ((NoSuchFileException) e).getFile();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + ((AccessDeniedException) e).getFile();
        }
        if (e instanceof CharacterCodingException) {
            return "the input is not UTF-8 text; save it as UTF-8 and try again";
        }
        if (e instanceof java.nio.file.InvalidPathException) {
            return "not a valid path: " + e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
