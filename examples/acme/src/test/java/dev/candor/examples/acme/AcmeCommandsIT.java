package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** acme's own commands, as a user runs them (telemetry off, so only the commands are under test). */
class AcmeCommandsIT {
    @TempDir
    Path root;

    private Machine machine() {
        return new Machine(root).env("ACME_TELEMETRY", "0");
    }

    @Test
    void countHashAndConvert() throws Exception {
        Machine m = machine();
        Files.writeString(root.resolve("text.txt"), "hello world\nsecond  line here\n");
        Machine.Run count = m.acme("count", "text.txt");
        assertThat(count.out).as("%s", count).isEqualTo("2 5 30 text.txt\n");
        assertThat(m.acme("hash", "text.txt").out).isEqualTo(
                "61b8c31a455f5ce0f570e14bc9e0e02f0f14bfad5a63790965007239293ddd96  text.txt\n"); // from sha256sum
        Files.writeString(root.resolve("people.csv"), "name,city\n\"Doe, Jane\",\"New \"\"York\"\"\"\n");
        Machine.Run convert = m.acme("convert", "people.csv", "people.json");
        assertThat(convert.exit).as("%s", convert).isZero();
        assertThat(Files.readString(root.resolve("people.json")))
                .isEqualTo("[\n  {\"name\": \"Doe, Jane\", \"city\": \"New \\\"York\\\"\"}\n]\n");
    }

    @Test
    void errorsSayWhatWentWrongWithExitCodes() throws Exception {
        Machine m = machine();
        Machine.Run missing = m.acme("count", "nope.txt");
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.err).isEqualTo("acme count: no such file: nope.txt\n");
        Files.writeString(root.resolve("bad.csv"), "a,b\n1\n");
        Machine.Run bad = m.acme("convert", "bad.csv", "out.json");
        assertThat(bad.exit).isEqualTo(1);
        assertThat(bad.err).startsWith("acme convert: bad.csv: line 2: 1 field, but the header has 2");
        Machine.Run usage = m.acme("hash");
        assertThat(usage.exit).isEqualTo(2);
        assertThat(usage.err).startsWith("acme hash: expected FILE, got 0 arguments");
        Machine.Run unknown = m.acme("frobnicate");
        assertThat(unknown.exit).isEqualTo(2);
        assertThat(unknown.err).startsWith("acme: unknown command \"frobnicate\"");
    }

    @Test
    void aMistakeAfterTelemetryIsNamedWithWhatWouldBeRight() {
        Machine m = machine();
        Machine.Run unknown = m.acme("telemetry", "stauts");
        assertThat(unknown.exit).as("%s", unknown).isEqualTo(2);
        assertThat(unknown.err).startsWith("acme telemetry: unknown command \"stauts\"; the telemetry commands are"
                + " status, enable, local, disable, show [--sent], send and what [--new]\nUsage: acme telemetry");
        assertThat(unknown.out).isEmpty();

        Machine.Run extra = m.acme("telemetry", "enable", "now");
        assertThat(extra.exit).as("%s", extra).isEqualTo(2);
        assertThat(extra.err).startsWith("acme telemetry enable: unexpected argument \"now\"; it takes none\n"
                + "Usage: acme telemetry enable");
        assertThat(m.appFile()).as("nothing was enabled").doesNotExist();

        Machine.Run two = m.acme("telemetry", "show", "--sent", "a", "b");
        assertThat(two.exit).isEqualTo(2);
        assertThat(two.err).startsWith("acme telemetry show: unexpected arguments \"a\" \"b\"; it takes only --sent\n");
        assertThat(m.acme("telemetry", "what", "everything").err)
                .startsWith("acme telemetry what: unexpected argument \"everything\"; it takes only --new\n");
        assertThat(m.acme("telemetry", "status", "x").err)
                .startsWith("acme telemetry status: unexpected argument \"x\"; it takes none\n");
    }

    /** A telemetry command's option given twice (a wrapper script adding it again) means what it means once. */
    @Test
    void aTelemetryOptionGivenTwiceIsNoUsageError() {
        Machine m = machine();
        Machine.Run sent = m.acme("telemetry", "show", "--sent", "--sent");
        assertThat(sent.exit).as("%s", sent).isZero();
        assertThat(sent.out).isEqualTo("No report was sent from this machine (or the copies aged out).\n");
        Machine.Run whatNew = m.acme("telemetry", "what", "--new", "--new");
        assertThat(whatNew.exit).as("%s", whatNew).isZero();
        assertThat(whatNew.out).isEqualTo(m.acme("telemetry", "what", "--new").out);
        Machine.Run help = m.acme("telemetry", "show", "-h", "--help");
        assertThat(help.exit).as("%s", help).isZero();
        assertThat(help.out).startsWith("Usage: acme telemetry show ");
    }

    /** acme's own flags given twice mean what they mean once, on acme and on its commands. */
    @Test
    void anAcmeFlagGivenTwiceIsNoUsageError() {
        Machine m = machine();
        Machine.Run once = m.acme("--version");
        for (String[] twice : new String[][] {{"--version", "--version"}, {"-V", "--version"}}) {
            Machine.Run run = m.acme(twice);
            assertThat(run.exit).as("%s", run).isZero();
            assertThat(run.out).isEqualTo(once.out).startsWith("acme 2.0.0\n");
            assertThat(run.err).isEmpty();
        }
        String help = m.acme("--help").out;
        for (String[] twice : new String[][] {{"-h", "-h"}, {"--help", "-h"}}) {
            Machine.Run run = m.acme(twice);
            assertThat(run.exit).as("%s", run).isZero();
            assertThat(run.out).isEqualTo(help).startsWith("Usage: acme ");
            assertThat(run.err).isEmpty();
        }
        Machine.Run count = m.acme("count", "-h", "--help");
        assertThat(count.exit).as("%s", count).isZero();
        assertThat(count.out).startsWith("Usage: acme count ");
    }

    /** A mistyped command or flag is named with the one meant, when one is a typo away, and only then. */
    @Test
    void aMistypedCommandOrFlagSuggestsTheOneMeant() throws Exception {
        Machine m = machine();
        Files.writeString(root.resolve("text.txt"), "hello\n");
        Machine.Run command = m.acme("cuont", "text.txt");
        assertThat(command.exit).as("%s", command).isEqualTo(2);
        assertThat(command.err).startsWith("acme: unknown command \"cuont\"; did you mean count?\nUsage: acme");
        assertThat(m.acme("telemetyr", "status").err).startsWith("acme: unknown command \"telemetyr\"; did you mean telemetry?\n");

        Machine.Run flag = m.acme("count", "--no-telemtry", "text.txt");
        assertThat(flag.exit).as("%s", flag).isEqualTo(2);
        assertThat(flag.out).as("the command did not run").isEmpty();
        assertThat(flag.err).startsWith("acme count: Unknown option: '--no-telemtry'; did you mean --no-telemetry?\n");

        assertThat(m.acme("frobnicate").err).as("nothing close: no guess").startsWith("acme: unknown command \"frobnicate\"\n");
        assertThat(m.acme("--bogus").err).startsWith("acme: Unknown option: '--bogus'\n");
    }

    /** {@code acme help telemetry show} is the help of {@code telemetry show}, as {@code acme telemetry show --help} is. */
    @Test
    void helpFollowsEveryNameGiven() {
        Machine m = machine();
        Machine.Run show = m.acme("help", "telemetry", "show");
        assertThat(show.exit).as("%s", show).isZero();
        assertThat(show.out).isEqualTo(m.acme("telemetry", "show", "--help").out).startsWith("Usage: acme telemetry show ");
        assertThat(m.acme("help", "count").out).startsWith("Usage: acme count ");
        assertThat(m.acme("help", "--help").out).startsWith("Usage: acme help [-h] ");

        Machine.Run wrong = m.acme("help", "telemetry", "shwo");
        assertThat(wrong.exit).as("%s", wrong).isEqualTo(2);
        assertThat(wrong.out).isEmpty();
        assertThat(wrong.err).startsWith("acme help: acme telemetry has no command \"shwo\"; its commands are disable,"
                + " enable, local, send, show, status, what\nUsage: acme help");
        assertThat(m.acme("help", "bogus").exit).isEqualTo(2);
    }
}
