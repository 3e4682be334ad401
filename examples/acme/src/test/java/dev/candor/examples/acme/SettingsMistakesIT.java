package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's session with the settings typed not quite right: a flag with a value, a relative folder, a
 * misspelled key, an endpoint with a password, and {@code --help} after a subcommand. Each is either
 * understood or said plainly, and none leaves telemetry doing more than the user asked for.
 */
class SettingsMistakesIT {
    static final String ENABLED = "Telemetry: enabled (run with --no-telemetry to disable)";

    @TempDir
    Path root;

    @Test
    void aFlagWithAValueIsTheFlagOrItsAbsence() throws Exception {
        Machine m = new Machine(root).env("ACME_TELEMETRY", "1");
        Files.writeString(root.resolve("f.txt"), "x");
        Map<String, String> before = m.snapshot();

        Machine.Run version = m.acme("--no-telemetry=true", "--version");
        assertThat(version.lastLine()).as("%s", version).isEqualTo("Telemetry: disabled by --no-telemetry");
        Machine.Run count = m.acme("--no-telemetry=true", "count", "f.txt");
        assertThat(count.exit).as("%s", count).isZero();
        Machine.Run unclear = m.acme("--no-telemetry=maybe", "count", "f.txt");
        assertThat(unclear.exit).as("%s", unclear).isEqualTo(2);
        assertThat(unclear.err).contains("Invalid value for option '--no-telemetry': 'maybe' is not one of");
        Machine.Run notOn = m.env("ACME_TELEMETRY", "0").acme("--telemetry=false", "count", "f.txt");
        assertThat(notOn.exit).as("%s", notOn).isZero();
        assertThat(m.snapshot()).as("off means off").isEqualTo(before);

        Machine.Run on = m.acme("--telemetry=true", "--no-telemetry=false", "--version");
        assertThat(on.lastLine()).as("%s", on).isEqualTo(ENABLED);
    }

    @Test
    void aRelativeTelemetryDirTurnsTelemetryOffAndSaysWhy() throws Exception {
        Machine m = new Machine(root).env("ACME_TELEMETRY", "1").env("ACME_TELEMETRY_DIR", "relative/dir");
        Files.writeString(root.resolve("f.txt"), "x");
        Map<String, String> before = m.snapshot();

        Machine.Run version = m.acme("--version");
        assertThat(version.lastLine()).as("%s", version)
                .isEqualTo("Telemetry: disabled (ACME_TELEMETRY_DIR=relative/dir is not an absolute path)");
        assertThat(version.err).contains("Telemetry is off: ACME_TELEMETRY_DIR=relative/dir is not an absolute path;"
                + " set it to an absolute path, or unset it");
        assertThat(m.acme("count", "f.txt").exit).isZero();
        Machine.Run enable = m.acme("telemetry", "enable");
        assertThat(enable.exit).as("%s", enable).isEqualTo(1);
        assertThat(enable.out).startsWith("Nothing was done: ACME_TELEMETRY_DIR=relative/dir is not an absolute path");
        assertThat(m.env("ACME_TELEMETRY_DIR", "~/x").acme("count", "f.txt").exit).isZero();
        assertThat(m.snapshot()).as("nothing in HOME, nothing in relative/dir or ~").isEqualTo(before);
    }

    @Test
    void aMisspelledKeyIsWarnedAboutWithTheKeyItResembles() {
        Machine m = new Machine(root);
        m.write(m.appFile(), "telemtry=false\n");
        Machine.Run run = m.acme("--version");
        assertThat(run.err).as("%s", run).contains(m.appFile() + ": the key \"telemtry\" is not one Candor reads;"
                + " did you mean \"telemetry\"?");
        m.write(m.appFile(), "telemetry=true\ntelemetry=false\n");
        Machine.Run twice = m.acme("--version");
        assertThat(twice.lastLine()).as("%s", twice).isEqualTo("Telemetry: disabled in " + m.appFile());
        assertThat(twice.err).contains("\"telemetry\" is set 2 times with different values; the most private one counts");
    }

    @Test
    void anEndpointWithAPasswordIsRefusedWithoutPrintingIt() {
        Machine m = new Machine(root).env("ACME_TELEMETRY", "1")
                .env("ACME_TELEMETRY_ENDPOINT", "http://alice:secret@127.0.0.1:9/v1/reports?uid=alice");
        Machine.Run send = m.acme("--debug-telemetry", "telemetry", "send");
        assertThat(send.exit).as("%s", send).isEqualTo(1);
        assertThat(send.out).isEqualTo("Nothing is sent: ACME_TELEMETRY_ENDPOINT must not hold a user name or password;"
                + " fix or unset it.\n");
        assertThat(send.err).contains("ACME_TELEMETRY_ENDPOINT must not hold a user name or password")
                .doesNotContain("secret", "alice");
    }

    @Test
    void helpWorksAfterEverySubcommandAndEndsWithTheStatusLine() {
        Machine m = new Machine(root).env("ACME_TELEMETRY", "1");
        String[][] commands = {{"count"}, {"hash"}, {"convert"}, {"telemetry"}, {"telemetry", "status"},
            {"telemetry", "enable"}, {"telemetry", "disable"}, {"telemetry", "show"}, {"telemetry", "what"}};
        for (String[] command : commands) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            Machine.Run run = m.acme(args);
            assertThat(run.exit).as("%s", run).isZero();
            assertThat(run.out).as("%s", run).startsWith("Usage: acme " + String.join(" ", command)).contains("--help");
            assertThat(run.lastLine()).as("%s", run).isEqualTo(ENABLED);
            assertThat(run.out.split(java.util.regex.Pattern.quote(ENABLED), -1)).as("the status line once: %s", run).hasSize(2);
        }
        assertThat(m.appFile()).as("help changes nothing").doesNotExist();
    }
}
