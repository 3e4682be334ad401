package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every status line of DESIGN §4, in the situation that section describes, from the real acme.jar. */
class StatusLinesIT {
    static final String ENABLED = "Telemetry: enabled (run with --no-telemetry to disable)";

    @TempDir
    Path root;

    @Test
    void enabledAfterTheFirstRun() {
        Machine m = new Machine(root);
        m.acme("--version");
        Machine.Run run = m.acme("--version");
        assertThat(run.out).as("%s", run).isEqualTo("acme 2.0.0\n" + ENABLED + "\n");
        assertThat(run.err).isEmpty();
        assertThat(run.exit).isZero();
    }

    @Test
    void disabledByTheFlag() {
        Machine.Run run = new Machine(root).acme("--no-telemetry", "--version");
        assertThat(run.out).as("%s", run).isEqualTo("acme 2.0.0\nTelemetry: disabled by --no-telemetry\n");
        assertThat(run.err).isEmpty();
        for (String[] twice : new String[][] {{"--no-telemetry", "--no-telemetry", "--version"},
                {"--telemetry", "--no-telemetry", "--version"}, {"--no-telemetry", "--telemetry", "--version"}}) {
            Machine.Run again = new Machine(root).acme(twice);
            assertThat(again.out).as("%s", again).isEqualTo("acme 2.0.0\nTelemetry: disabled by --no-telemetry\n");
            assertThat(again.exit).isZero();
        }
    }

    @Test
    void disabledByTheAppVariable() {
        Machine.Run run = new Machine(root).env("ACME_TELEMETRY", "0").acme("--version");
        assertThat(run.out).as("%s", run).isEqualTo("acme 2.0.0\nTelemetry: disabled by ACME_TELEMETRY=0\n");
    }

    @Test
    void disabledByDoNotTrack() {
        Machine.Run run = new Machine(root).env("DO_NOT_TRACK", "1").acme("--version");
        assertThat(run.out).as("%s", run).isEqualTo("acme 2.0.0\nTelemetry: disabled by DO_NOT_TRACK=1\n");
    }

    @Test
    void disabledInTheFileThatDecided() {
        Machine app = new Machine(root.resolve("app"));
        app.write(app.appFile(), "telemetry=false\n");
        assertThat(app.acme("--version").lastLine()).isEqualTo("Telemetry: disabled in " + app.appFile());

        Machine user = new Machine(root.resolve("user"));
        user.write(user.userFile(), "telemetry=false\n");
        assertThat(user.acme("--version").lastLine()).isEqualTo("Telemetry: disabled in " + user.userFile());

        Machine admin = new Machine(root.resolve("admin"));
        admin.write(admin.systemFile, "telemetry=false\n").write(admin.appFile(), "telemetry=true\n")
                .env("ACME_TELEMETRY", "1");
        assertThat(admin.acme("--telemetry", "--version").lastLine())
                .isEqualTo("Telemetry: disabled in " + admin.systemFile);
    }

    @Test
    void notYetEnabledOnTheFirstRun() {
        Machine.Run run = new Machine(root).acme("--version");
        assertThat(run.out).as("%s", run)
                .isEqualTo("acme 2.0.0\nTelemetry: not yet enabled (notice shown; starts on the next run)\n");
    }

    /** A regular file where the state folder's parent belongs: nothing can be recorded, and the line says so. */
    @Test
    void aStateFolderThatCannotBeWrittenIsNamedInsteadOfClaimingPlainEnabled() {
        Machine m = new Machine(root);
        m.write(m.stateDir().getParent().getParent(), "not a folder"); // ~/.local/state
        String unwritable = " (" + m.stateDir() + " cannot be written; nothing is recorded until it can)";
        Machine.Run first = m.acme("--version");
        assertThat(first.out).as("%s", first).isEqualTo("acme 2.0.0\nTelemetry: not yet enabled" + unwritable + "\n");
        assertThat(first.err).as("no notice that would come back on every run").isEmpty();
        m.env("ACME_TELEMETRY", "1");
        assertThat(m.acme("--version").out).isEqualTo("acme 2.0.0\nTelemetry: enabled" + unwritable + "\n");
        assertThat(m.acme("telemetry", "status").out).isEqualTo("Telemetry: enabled" + unwritable + "\n");
        assertThat(m.env("ACME_TELEMETRY", "local").acme("--version").lastLine()).isEqualTo("Telemetry: local only" + unwritable);
        m.env.remove("ACME_TELEMETRY");
        assertThat(m.acme("telemetry", "enable").lastLine()).isEqualTo("Telemetry: enabled" + unwritable);
        assertThat(m.stateDir().getParent().getParent()).hasContent("not a folder");
    }

    @Test
    void localOnly() {
        Machine m = new Machine(root).env("ACME_TELEMETRY", "local");
        assertThat(m.acme("--version").lastLine())
                .isEqualTo("Telemetry: local only (kept on this machine, never sent; see `acme telemetry show`)");
    }

    @Test
    void helpAndTelemetryStatusShowTheSameLine() {
        Machine m = new Machine(root).env("ACME_TELEMETRY", "off");
        Machine.Run help = m.acme("--help");
        assertThat(help.out).startsWith("Usage: acme").endsWith("\nTelemetry: disabled by ACME_TELEMETRY=off\n");
        assertThat(help.exit).isZero();
        Machine.Run status = m.acme("telemetry", "status");
        assertThat(status.out).isEqualTo("Telemetry: disabled by ACME_TELEMETRY=off\n");
    }

    @Test
    void enableLocalAndDisableWriteTheAppFile() {
        Machine m = new Machine(root);
        Machine.Run local = m.acme("telemetry", "local");
        assertThat(local.out).as("%s", local).contains("saved telemetry=local in " + m.appFile())
                .endsWith("Telemetry: local only (kept on this machine, never sent; see `acme telemetry show`)\n");
        assertThat(local.err).as("a telemetry command shows no notice").isEmpty();
        assertThat(m.acme("telemetry", "enable").lastLine()).isEqualTo(ENABLED);
        assertThat(m.acme("--version").lastLine()).isEqualTo(ENABLED);
        assertThat(m.acme("telemetry", "disable").lastLine()).isEqualTo("Telemetry: disabled in " + m.appFile());
        assertThat(m.acme("telemetry", "status").lastLine()).isEqualTo("Telemetry: disabled in " + m.appFile());
    }

    @Test
    void theTelemetryDirMovesTheAppFile() {
        Path moved = root.resolve("moved");
        Machine m = new Machine(root).env("ACME_TELEMETRY_DIR", moved.toString());
        m.acme("telemetry", "disable");
        assertThat(m.acme("--version").lastLine()).isEqualTo("Telemetry: disabled in " + moved.resolve("telemetry.properties"));
    }
}
