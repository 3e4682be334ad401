package dev.candor.picocli;

import dev.candor.Telemetry;
import dev.candor.TelemetryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Candor in a picocli app, in one statement of {@code main}:
 *
 * <pre>{@code
 * CommandLine cli = new CommandLine(new MyApp());
 * try (TelemetryCommandLine telemetry = TelemetryCommandLine.start(cli,
 *         TelemetryOptions.builder().appVersion("2.0.0"), args)) {
 *     MyApp.telemetry = telemetry.telemetry();   // for the app's own counters
 *     exitCode = telemetry.execute();
 * }
 * }</pre>
 *
 * <p>{@link #install} gives every command the {@link TelemetryMixin} flags and the status line at the end
 * of its {@code --help}, puts the status line under the {@code --version} lines, and adds the
 * {@link TelemetryCommand} as {@code telemetry} (unless the app has a {@code telemetry} subcommand).
 * {@link #start} also starts {@link Telemetry} with the arguments, marking a run of {@code telemetry
 * enable|local|disable|show|send|what} as {@code forTelemetryCommand()} (no notice, nothing recorded).
 * Not thread-safe while installing; the started handle is.
 */
public final class TelemetryCommandLine implements AutoCloseable {
    /** The key of the help section that holds the status line. */
    public static final String STATUS_SECTION = "candorTelemetryStatus";

    private final CommandLine commandLine;
    private final String[] args;
    private final Telemetry telemetry;

    private TelemetryCommandLine(CommandLine commandLine, String[] args, Telemetry telemetry) {
        this.commandLine = commandLine;
        this.args = args;
        this.telemetry = telemetry;
    }

    /**
     * Installs telemetry into {@code commandLine} ({@link #install}) and starts it with {@code options}
     * and {@code args} (which the builder receives as its {@code args}). Costs one extra parse of the
     * arguments and {@link Telemetry#start}; never throws for any arguments.
     */
    public static TelemetryCommandLine start(CommandLine commandLine, TelemetryOptions.Builder options, String... args) {
        String[] arguments = args == null ? new String[0] : args.clone();
        Telemetry[] started = new Telemetry[1];
        install(commandLine, () -> started[0]);
        TelemetryOptions.Builder builder = options == null ? TelemetryOptions.builder() : options;
        builder.args(arguments);
        if (isTelemetryCommand(commandLine, arguments)) {
            builder.forTelemetryCommand();
        }
        started[0] = Telemetry.start(builder.build());
        return new TelemetryCommandLine(commandLine, arguments, started[0]);
    }

    /**
     * Adds the telemetry flags, the status line in {@code --help} and {@code --version}, and the
     * {@code telemetry} subcommand to {@code commandLine} and all its subcommands; {@code telemetry}
     * supplies the handle when output is made. Idempotent per command.
     */
    public static void install(CommandLine commandLine, Supplier<Telemetry> telemetry) {
        if (!commandLine.getSubcommands().containsKey("telemetry")) {
            CommandLine sub = new CommandLine(new TelemetryCommand(telemetry));
            sub.setOut(commandLine.getOut());
            sub.setErr(commandLine.getErr());
            sub.setColorScheme(commandLine.getColorScheme());
            commandLine.addSubcommand("telemetry", sub);
        }
        CommandSpec spec = commandLine.getCommandSpec();
        if (!(spec.versionProvider() instanceof StatusVersionProvider)) {
            spec.versionProvider(spec.versionProvider() != null
                    ? new StatusVersionProvider(spec.versionProvider(), telemetry)
                    : new StatusVersionProvider(spec.version(), telemetry));
        }
        installEverywhere(commandLine, telemetry);
    }

    private static void installEverywhere(CommandLine commandLine, Supplier<Telemetry> telemetry) {
        CommandSpec spec = commandLine.getCommandSpec();
        if (spec.userObject() instanceof TelemetryCommand) {
            // '-h --help' (and any single-valued option) given twice is no usage error here; this reaches the
            // subcommands too, and --sent and --new are lists for the same reason
            commandLine.setOverwrittenOptionsAllowed(true);
        }
        if (spec.findOption("--no-telemetry") == null) {
            spec.addMixin(TelemetryMixin.NAME, CommandSpec.forAnnotatedObject(new TelemetryMixin()));
        }
        if (!commandLine.getHelpSectionMap().containsKey(STATUS_SECTION)) {
            commandLine.getHelpSectionMap().put(STATUS_SECTION,
                    help -> String.format("%n%s%n", String.join(String.format("%n"), TelemetryCommand.statusLines(telemetry))));
            List<String> keys = new ArrayList<>(commandLine.getHelpSectionKeys());
            keys.add(STATUS_SECTION);
            // this command's keys only: CommandLine.setHelpSectionKeys also sets them on every subcommand, whose
            // own turn then added the section again (the status line printed twice, thrice for a nested one)
            spec.usageMessage().sectionKeys(keys);
        }
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            installEverywhere(sub, telemetry);
        }
    }

    /**
     * Whether {@code args} run {@code telemetry} with a subcommand other than {@code status}, or are a mistake
     * inside {@code telemetry} ({@code telemetry stauts}): such a run manages telemetry or ends in a usage error,
     * so it shows no notice and records nothing. False for other arguments that do not parse.
     */
    public static boolean isTelemetryCommand(CommandLine commandLine, String... args) {
        try {
            ParseResult result = commandLine.parseArgs(args);
            while (result.hasSubcommand()) {
                ParseResult sub = result.subcommand();
                if (sub.commandSpec().userObject() instanceof TelemetryCommand) {
                    return sub.hasSubcommand() && !sub.subcommand().commandSpec().name().equals("status");
                }
                result = sub;
            }
            return false;
        } catch (ParameterException e) {
            for (CommandLine c = e.getCommandLine(); c != null; c = c.getParent()) {
                if (c.getCommandSpec().userObject() instanceof TelemetryCommand) {
                    return true; // the user was managing telemetry and mistyped: the error, not a first-run notice
                }
            }
            return false;
        }
    }

    /** The started handle, for the app's own counters and timings. */
    public Telemetry telemetry() {
        return telemetry;
    }

    /** Runs the command line with the arguments given to {@link #start}; returns its exit code. */
    public int execute() {
        return commandLine.execute(args);
    }

    /** Closes the telemetry handle ({@link Telemetry#close}: bounded, local disk only). */
    @Override
    public void close() {
        telemetry.close();
    }
}
