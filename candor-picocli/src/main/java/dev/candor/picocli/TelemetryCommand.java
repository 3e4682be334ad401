package dev.candor.picocli;

import dev.candor.Telemetry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The user's {@code telemetry} command, ready to add to any picocli app: {@code status} (also with no
 * subcommand), {@code enable}, {@code local}, {@code disable}, {@code show [--sent]}, {@code send} and
 * {@code what}. Each one delegates to the SDK's {@link Telemetry#runCommand}, so the words, files and exit
 * codes are exactly those of an app with a plain {@code main}; output goes to the command line's
 * {@code getOut()}. {@code --help} works on the command and on each subcommand.
 *
 * <p>As with {@link TelemetryMixin}'s flags, an option given twice means what it means once ({@code show --sent
 * --sent}, {@code what --new --new}, {@code -h --help}): no usage error. {@code --sent} and {@code --new} take the
 * mixin's optional values ({@code --sent=false} is no {@code --sent}); {@link TelemetryCommandLine#install}
 * allows {@code --help} repeated.
 */
@Command(name = "telemetry", description = "See and choose what telemetry does.")
public final class TelemetryCommand implements Callable<Integer> {
    private final Supplier<Telemetry> telemetry;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Show this help message and exit.")
    boolean help;

    /** A command acting on the telemetry {@code telemetry} supplies when it runs. */
    public TelemetryCommand(Supplier<Telemetry> telemetry) {
        this.telemetry = telemetry;
    }

    /** {@code telemetry} alone: the status line. */
    @Override
    public Integer call() {
        return run("status");
    }

    @Command(name = "status", description = "Print the telemetry status line: what telemetry does and who decided it.")
    int status() {
        return run("status");
    }

    @Command(name = "enable", description = "Turn telemetry on: record and send anonymous usage counts.")
    int enable() {
        return run("enable");
    }

    @Command(name = "local", description = "Record on this machine only, for `telemetry show`; never send.")
    int local() {
        return run("local");
    }

    @Command(name = "disable", description = "Turn telemetry off and delete what was recorded and not sent.")
    int disable() {
        return run("disable");
    }

    @Command(name = "show", description = "Print what was recorded here: the reports waiting to be sent, exactly as"
            + " they will be sent, and those of local mode, which are never sent.")
    int show(@Option(names = "--sent", arity = "0", converter = TelemetryMixin.FlagValue.class,
            description = "Print the copies of the reports that were sent.") List<Boolean> sent) {
        return given(sent) ? run("show", "--sent") : run("show");
    }

    @Command(name = "send", description = "Send every finished report now (waits 10 s at most).")
    int send() {
        return run("send");
    }

    @Command(name = "what", description = "List everything this app can collect: events, fields, allowed values.")
    int what(@Option(names = "--new", arity = "0", converter = TelemetryMixin.FlagValue.class,
            description = "Only what is new since you agreed and waits for your OK.") List<Boolean> onlyNew) {
        return given(onlyNew) ? run("what", "--new") : run("what");
    }

    /** Whether a flag given as a list (so that it may be repeated) was given, once or more, alone or true. */
    private static boolean given(List<Boolean> values) {
        return values != null && values.contains(Boolean.TRUE);
    }

    private int run(String... args) {
        Telemetry t = telemetry.get();
        PrintWriter out = spec.root().commandLine().getOut();
        if (t == null) {
            out.println("Telemetry has not started in this app.");
            out.flush();
            return 1;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code;
        try (PrintStream captured = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            code = t.runCommand(captured, args);
        }
        out.print(bytes.toString(StandardCharsets.UTF_8));
        out.flush();
        return code;
    }

    /**
     * The words for a mistake in the words after {@code telemetry}, for an app's parameter exception handler:
     * {@code acme telemetry: unknown command "stauts"; the telemetry commands are status, enable, local, disable,
     * show [--sent], send and what [--new]}, or {@code acme telemetry status: unexpected argument "now"; it takes
     * none}. Null when {@code e} is about another command, or about an unknown option (picocli names it well).
     */
    public static String usageProblem(ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        List<String> unmatched = e instanceof UnmatchedArgumentException
                ? ((UnmatchedArgumentException) e).getUnmatched() : List.of();
        if (cmd == null || unmatched.isEmpty() || unmatched.get(0).startsWith("-")) {
            return null;
        }
        String name = cmd.getCommandSpec().qualifiedName();
        if (cmd.getCommandSpec().userObject() instanceof TelemetryCommand) {
            return name + ": unknown command \"" + unmatched.get(0) + "\"; the telemetry commands are status, enable,"
                    + " local, disable, show [--sent], send and what [--new]";
        }
        CommandLine parent = cmd.getParent();
        if (parent == null || !(parent.getCommandSpec().userObject() instanceof TelemetryCommand)) {
            return null;
        }
        String sub = cmd.getCommandName();
        return name + ": unexpected argument" + (unmatched.size() == 1 ? "" : "s") + " \"" + String.join("\" \"", unmatched)
                + "\"; it takes " + (sub.equals("show") ? "only --sent" : sub.equals("what") ? "only --new" : "none");
    }

    static String statusLine(Supplier<Telemetry> telemetry) {
        Telemetry t = telemetry == null ? null : telemetry.get();
        return t == null ? "Telemetry: not started" : t.statusLine();
    }

    /**
     * The status line, and when a newer catalog's items wait for the user's OK, the line that says so
     * and how to review and accept them: what {@code --version} and {@code --help} end with.
     */
    static List<String> statusLines(Supplier<Telemetry> telemetry) {
        Telemetry t = telemetry == null ? null : telemetry.get();
        if (t == null || t.status().newItems() == 0) {
            return List.of(statusLine(telemetry));
        }
        return List.of(t.statusLine(), t.status().newItemsLine());
    }
}
