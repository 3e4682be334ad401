package dev.candor.picocli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Mode;
import dev.candor.Telemetry;
import dev.candor.TelemetryOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * A small picocli app wired with one call, run through {@code CommandLine.execute} with captured
 * output, against the real SDK in a home under target/ (see the surefire configuration).
 */
class TelemetryCommandLineTest {
    static final Path HOME = Paths.get(System.getenv("HOME"));
    static final Path APP_FILE = HOME.resolve("config/acme/telemetry.properties");

    @Command(name = "acme", mixinStandardHelpOptions = true, version = "acme 2.0.0",
            description = "A tiny file toolkit.", subcommands = Count.class)
    static final class App implements Callable<Integer> {
        @Override
        public Integer call() {
            return 0;
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true, description = "Count a file's lines.")
    static final class Count implements Callable<Integer> {
        @Parameters(index = "0")
        String file;

        @Override
        public Integer call() {
            return 0;
        }
    }

    /** One run of the app: exit code and what it printed. */
    static final class Run {
        final int exit;
        final String out;
        final String err;
        final Mode mode;

        Run(int exit, String out, String err, Mode mode) {
            this.exit = exit;
            this.out = out;
            this.err = err;
            this.mode = mode;
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    static Run run(Object app, String... args) {
        CommandLine cli = new CommandLine(app);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        try (TelemetryCommandLine t = TelemetryCommandLine.start(cli, TelemetryOptions.builder().appVersion("2.0.0"), args)) {
            int exit = t.execute();
            return new Run(exit, out.toString().replace(System.lineSeparator(), "\n"),
                    err.toString().replace(System.lineSeparator(), "\n"), t.telemetry().mode());
        }
    }

    static Run run(String... args) {
        return run(new App(), args);
    }

    @BeforeEach
    void freshHome() throws IOException {
        if (Files.exists(HOME)) {
            try (Stream<Path> walk = Files.walk(HOME)) {
                for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void versionEndsWithTheStatusLine() {
        Run run = run("--no-telemetry", "--version");
        assertThat(run.out).as("%s", run).isEqualTo("acme 2.0.0\nTelemetry: disabled by --no-telemetry\n");
        assertThat(run.exit).isZero();
        assertThat(run.mode).isEqualTo(Mode.OFF);
    }

    @Test
    void anAppsOwnVersionProviderIsKept() {
        @Command(name = "tool", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class)
        final class Tool implements Runnable {
            @Override
            public void run() {
            }
        }
        Run run = run(new Tool(), "--version", "--no-telemetry");
        assertThat(run.out).as("%s", run).isEqualTo("tool 7.1\nbuilt today\nTelemetry: disabled by --no-telemetry\n");
    }

    static final class ToolVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tool 7.1", "built today"};
        }
    }

    @Test
    void helpListsTheFlagsAndEndsWithTheStatusLine() {
        Run run = run("--help", "--no-telemetry");
        assertThat(run.out).as("%s", run).startsWith("Usage: acme")
                .contains("--no-telemetry", "--debug-telemetry", "--telemetry ", "telemetry  See and choose what telemetry does.")
                .endsWith("\n\nTelemetry: disabled by --no-telemetry\n");
        Run sub = run("count", "--help", "--no-telemetry");
        assertThat(sub.out).as("%s", sub).startsWith("Usage: acme count").contains("--no-telemetry")
                .endsWith("Telemetry: disabled by --no-telemetry\n");
        assertThat(sub.out.split("Telemetry: ", -1)).as("the status line once: %s", sub).hasSize(2);
    }

    @Test
    void versionAndHelpSayWhenANewerCatalogsItemsWaitForTheUsersOk() throws IOException {
        // The user agreed to a catalog without input_size; the app's catalog now has it.
        String catalog = new String(getClass().getResourceAsStream("/META-INF/candor/catalog.json").readAllBytes(),
                StandardCharsets.UTF_8);
        int from = catalog.indexOf(",\n    \"input_size\"");
        int to = catalog.indexOf("\n    }\n  },", from) + "\n    }".length();
        String agreed = catalog.substring(0, from) + catalog.substring(to);
        assertThat(agreed).doesNotContain("input_size").contains("\"error\"");
        Path state = Files.createDirectories(HOME.resolve("state/acme/telemetry"));
        Files.writeString(state.resolve("agreed-catalog.json"), agreed);
        String waiting = "1 new telemetry item waits for your OK";

        Run version = run("--telemetry", "--version");
        assertThat(version.out).as("%s", version).startsWith("acme 2.0.0\nTelemetry: enabled (run with --no-telemetry to disable)\n")
                .contains(waiting, "acme telemetry what --new", "acme telemetry enable");
        Run help = run("--telemetry", "--help");
        assertThat(help.out).as("%s", help).contains("\n\nTelemetry: enabled (run with --no-telemetry to disable)\n" + waiting);

        Files.delete(state.resolve("agreed-catalog.json"));
        Run agreedNow = run("--telemetry", "--version");
        assertThat(agreedNow.out).as("no record: the current catalog counts as agreed").doesNotContain("wait");
    }

    @Test
    void aFlagWithAValueMeansWhatPicocliParsedAndWhatTheSdkRead() {
        Run off = run("--no-telemetry=true", "--version");
        assertThat(off.out).as("%s", off).isEqualTo("acme 2.0.0\nTelemetry: disabled by --no-telemetry\n");
        assertThat(off.mode).isEqualTo(Mode.OFF);
        Run counted = run("--no-telemetry=yes", "count", "f.txt");
        assertThat(counted.exit).as("%s", counted).isZero();
        assertThat(counted.mode).isEqualTo(Mode.OFF);
        assertThat(HOME).as("off means off").doesNotExist();
        Run on = run("--no-telemetry=false", "--telemetry=true", "--version");
        assertThat(on.out).as("%s", on).endsWith("Telemetry: enabled (run with --no-telemetry to disable)\n");
        Run notOn = run("--telemetry=false", "--no-telemetry", "--version");
        assertThat(notOn.out).as("%s", notOn).endsWith("Telemetry: disabled by --no-telemetry\n");
    }

    @Test
    void aFlagGivenTwiceIsAcceptedAndBothModeFlagsTogetherMeanOff() {
        Run twice = run("--no-telemetry", "count", "--no-telemetry", "f.txt");
        assertThat(twice.exit).as("%s", twice).isZero();
        assertThat(twice.err).isEmpty();
        assertThat(twice.mode).isEqualTo(Mode.OFF);
        Run sameCommand = run("--no-telemetry", "--no-telemetry=yes", "--version");
        assertThat(sameCommand.out).as("%s", sameCommand).isEqualTo("acme 2.0.0\nTelemetry: disabled by --no-telemetry\n");
        for (String[] args : new String[][] {{"--telemetry", "--no-telemetry", "--version"},
                {"--no-telemetry", "--telemetry", "--version"}, {"--telemetry", "count", "--no-telemetry", "f.txt"}}) {
            Run both = run(args);
            assertThat(both.exit).as("%s", both).isZero();
            assertThat(both.mode).as("--no-telemetry wins, as in the SDK").isEqualTo(Mode.OFF);
        }
        assertThat(run("--telemetry", "--no-telemetry", "--version").out).endsWith("Telemetry: disabled by --no-telemetry\n");
        assertThat(HOME).as("off means off").doesNotExist();
        Run on = run("--telemetry", "--telemetry", "--version");
        assertThat(on.out).as("%s", on).endsWith("Telemetry: enabled (run with --no-telemetry to disable)\n");
        Run debug = run("--no-telemetry", "--debug-telemetry", "--debug-telemetry", "--version");
        assertThat(debug.exit).as("%s", debug).isZero();
    }

    /** Every option of the telemetry command and its subcommands may be repeated, as the telemetry flags may. */
    @Test
    void anOptionOfATelemetryCommandGivenTwiceMeansWhatItMeansOnce() {
        run("telemetry", "local");
        assertThat(run("telemetry", "show", "--sent", "--sent").out).isEqualTo(run("telemetry", "show", "--sent").out)
                .contains("No report was sent from this machine");
        Run notSent = run("telemetry", "show", "--sent=false", "--sent=no");
        assertThat(notSent.exit).as("%s", notSent).isZero();
        assertThat(notSent.out).contains("No report waits to be sent.");
        Run whatNew = run("telemetry", "what", "--new", "--new");
        assertThat(whatNew.exit).as("%s", whatNew).isZero();
        assertThat(whatNew.out).isEqualTo(run("telemetry", "what", "--new").out).startsWith("Nothing new");
        for (String[] args : new String[][] {{"telemetry", "-h", "--help"}, {"telemetry", "show", "--help", "-h"},
                {"telemetry", "status", "-h", "-h"}, {"telemetry", "what", "--help", "--new", "--help"}}) {
            Run help = run(args);
            assertThat(help.exit).as("%s", help).isZero();
            assertThat(help.err).isEmpty();
            assertThat(help.out).startsWith("Usage: acme telemetry");
        }
        Run wrong = run("telemetry", "show", "--sent", "--sent=maybe");
        assertThat(wrong.exit).as("%s", wrong).isEqualTo(2);
        assertThat(wrong.err).contains("'maybe' is not one of 1|true|on|yes, 0|false|off|no");
    }

    @Test
    void aFlagWithAnotherValueIsAUsageErrorAndOff() {
        for (String flag : new String[] {"--no-telemetry=maybe", "--telemetry=maybe"}) {
            Run run = run(flag, "count", "f.txt");
            assertThat(run.exit).as("%s", run).isEqualTo(2);
            assertThat(run.err).as("%s", run).contains("Invalid value for option", "'maybe' is not one of 1|true|on|yes, 0|false|off|no");
            assertThat(run.mode).isEqualTo(Mode.OFF);
        }
        assertThat(HOME).as("off means off").doesNotExist();
    }

    @Test
    void theFlagsAreAcceptedBeforeAndAfterASubcommand() {
        assertThat(run("--no-telemetry", "count", "f.txt").exit).isZero();
        Run after = run("count", "--no-telemetry", "f.txt");
        assertThat(after.exit).as("%s", after).isZero();
        assertThat(after.mode).isEqualTo(Mode.OFF);
        assertThat(HOME).as("off means off").doesNotExist();
    }

    @Test
    void enableLocalDisableAndStatusDelegateToTheSdk() throws IOException {
        Run local = run("telemetry", "local");
        assertThat(local.exit).as("%s", local).isZero();
        assertThat(local.out).contains("saved telemetry=local in " + APP_FILE)
                .endsWith("Telemetry: local only (kept on this machine, never sent; see `acme telemetry show`)\n");
        assertThat(Files.readString(APP_FILE)).contains("telemetry=local");

        Run enable = run("telemetry", "enable");
        assertThat(enable.out).endsWith("Telemetry: enabled (run with --no-telemetry to disable)\n");
        assertThat(run("telemetry", "status").out).isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)\n");
        assertThat(run("telemetry").out).as("no subcommand means status")
                .isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)\n");

        Run disable = run("telemetry", "disable");
        assertThat(disable.exit).isZero();
        assertThat(disable.out).endsWith("Telemetry: disabled in " + APP_FILE + "\n");
        assertThat(run("--version").out).isEqualTo("acme 2.0.0\nTelemetry: disabled in " + APP_FILE + "\n");
    }

    @Test
    void showAndSendSayWhatThereIs() {
        run("telemetry", "local");
        Run show = run("telemetry", "show");
        assertThat(show.exit).as("%s", show).isZero();
        assertThat(show.out).contains("No report waits to be sent.");
        Run sent = run("telemetry", "show", "--sent");
        assertThat(sent.out).as("%s", sent).contains("No report was sent from this machine");
        Run send = run("telemetry", "send");
        assertThat(send.exit).isEqualTo(1);
        assertThat(send.out).startsWith("Nothing is sent: Telemetry: local only");
    }

    @Test
    void whatListsTheCatalog() {
        Run what = run("--no-telemetry", "telemetry", "what");
        assertThat(what.exit).as("%s", what).isZero();
        assertThat(what.out).contains("command_run: A command finished.", "input_size: How large the input files are.",
                "command   convert, count, hash", "local noise: yes, ε = 1");
    }

    @Test
    void aManagingRunIsATelemetryCommandAndStatusIsNot() {
        CommandLine cli = new CommandLine(new App());
        TelemetryCommandLine.install(cli, () -> null);
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "telemetry", "enable")).isTrue();
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "--no-telemetry", "telemetry", "show", "--sent")).isTrue();
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "telemetry", "what")).isTrue();
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "telemetry", "status")).isFalse();
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "telemetry")).isFalse();
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "count", "f.txt")).isFalse();
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "frobnicate", "--what")).isFalse();
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "telemetry", "stauts")).as("a mistyped one").isTrue();
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "telemetry", "enable", "now")).isTrue();
        assertThat(TelemetryCommandLine.isTelemetryCommand(cli, "count", "--bogus")).isFalse();
    }

    /** {@code telemetry stauts} on a first run: the usage error alone, not the first-run notice before it. */
    @Test
    void aMistypedTelemetryCommandGetsItsErrorAndNoNotice() {
        Run typo = run("telemetry", "stauts");
        assertThat(typo.exit).isEqualTo(2);
        assertThat(typo.err).contains("stauts").doesNotContain("Continue with telemetry").doesNotContain("This run records nothing");
        assertThat(HOME.resolve("state/acme/telemetry/notice-shown")).doesNotExist();
    }

    @Test
    void aManagingRunRecordsNothingAndShowsNoNotice() {
        Run enable = run("telemetry", "enable");
        assertThat(HOME.resolve("state/acme/telemetry/notice-shown")).doesNotExist();
        assertThat(enable.err).isEmpty();
    }

    @Test
    void helpWorksOnTheTelemetryCommandAndEachSubcommandAndEndsWithTheStatusLine() {
        String[][] commands = {{"telemetry"}, {"telemetry", "status"}, {"telemetry", "enable"}, {"telemetry", "local"},
                {"telemetry", "disable"}, {"telemetry", "show"}, {"telemetry", "send"}, {"telemetry", "what"}};
        for (String[] command : commands) {
            String[] args = Arrays.copyOf(command, command.length + 2);
            args[command.length] = "--help";
            args[command.length + 1] = "--no-telemetry";
            Run run = run(args);
            assertThat(run.exit).as("%s", run).isZero();
            assertThat(run.err).as("%s", run).isEmpty();
            assertThat(run.out).as("%s", run).startsWith("Usage: acme " + String.join(" ", command))
                    .contains("--help").endsWith("\n\nTelemetry: disabled by --no-telemetry\n");
            assertThat(run.out.split("Telemetry: disabled", -1)).as("the status line once: %s", run).hasSize(2);
        }
        assertThat(run("telemetry", "show", "-h").out).contains("--sent");
        assertThat(APP_FILE).as("help enables nothing").doesNotExist();
    }

    @Test
    void anUnknownTelemetrySubcommandIsAUsageError() {
        Run run = run("--no-telemetry", "telemetry", "frob");
        assertThat(run.exit).isEqualTo(2);
        assertThat(run.err).contains("frob");
    }

    @Test
    void theTelemetryCommandWorksAloneToo() {
        try (Telemetry t = Telemetry.start(TelemetryOptions.builder().args("--no-telemetry").build())) {
            CommandLine cli = new CommandLine(new TelemetryCommand(() -> t));
            StringWriter out = new StringWriter();
            cli.setOut(new PrintWriter(out));
            assertThat(cli.execute("status")).isZero();
            assertThat(out.toString()).isEqualTo("Telemetry: disabled by --no-telemetry" + System.lineSeparator());
        }
    }
}
