package dev.candor.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.candor.Mode;
import dev.candor.internal.context.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A telemetry.properties file, read and written, and telemetry enable|local|disable ({@link ConfigFile#apply}). */
class ConfigFileTest {
    @TempDir
    Path root;

    /** What {@link ConfigFile#apply} printed; it must have saved the mode. */
    private static String apply(TelemetryPaths paths, Mode mode) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ConfigFile.apply(paths, mode, "acme", new PrintStream(out, true, StandardCharsets.UTF_8))).isTrue();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aHugeConfigFileIsRefusedUnreadAndCountsAsOff() throws IOException {
        TestEnvironment env = new TestEnvironment(root);
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        Path file = paths.appConfigFile();
        Files.createDirectories(file.getParent());
        // 4 GiB, sparse, starting with a valid "on": reading it whole would take the app's memory.
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            huge.write("telemetry=true\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            huge.setLength(4L << 30);
        }
        assertThatThrownBy(() -> ConfigFile.read(file)).isInstanceOf(IOException.class).hasMessageContaining("larger than 64 KiB");
        ConsentDecision d = ConsentResolver.resolve(paths, env, TelemetryFlags.scan(new String[0]), l -> { });
        assertThat(d.mode()).isEqualTo(Mode.OFF);
        assertThat(ConfigFile.apply(paths, Mode.ON, "acme", new PrintStream(new ByteArrayOutputStream()))).as("not rewritten, not read whole").isFalse();
        assertThat(Files.size(file)).isEqualTo(4L << 30);
    }

    @Test
    void aKeySetOnSeveralLinesGivesTheMostPrivateValue() throws IOException {
        Path file = root.resolve("telemetry.properties");
        String[][] cases = {
            {"telemetry=true\ntelemetry=false\n", "false"},
            {"telemetry=false\ntelemetry=true\n", "false"},
            {"telemetry=true\ntelemetry=local\ntelemetry=true\n", "local"},
            {"telemetry=local\ntelemetry: off\n", "off"},
            {"telemetry=true\ntelemetry=banana\n", "banana"}, // not understood: off, and warned about as such
            {"telemetry=true\ntelemetry = TRUE\n", "true"},
            {"telemetry=false\ntelemetry=\n", "false"},
        };
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            assertThat(ConfigFile.read(file)).as(c[0]).isEqualTo(c[1]);
        }
    }

    /** Notepad and other Windows editors may start a UTF-8 file with a byte-order mark. */
    @Test
    void aByteOrderMarkBeforeTelemetryFalseStillTurnsTelemetryOffInEveryFile() throws IOException {
        TestEnvironment env = new TestEnvironment(root);
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        byte[] bomOff = "\uFEFFtelemetry=false\r\n".getBytes(StandardCharsets.UTF_8);
        for (Path file : new Path[] {paths.systemConfigFile(), paths.appConfigFile(), paths.userConfigFile()}) {
            Files.createDirectories(file.getParent());
            Files.write(file, bomOff);
            assertThat(ConfigFile.read(file)).as(file.toString()).isEqualTo("false");
            ConsentDecision d = ConsentResolver.resolve(paths, env, TelemetryFlags.scan(new String[0]), l -> { });
            assertThat(d.mode()).as(file.toString()).isEqualTo(Mode.OFF);
            assertThat(d.detail()).isEqualTo(file.toString());
            assertThat(d.statusLine("acme")).isEqualTo("Telemetry: disabled in " + file);
            Files.delete(file);
        }
        // and telemetry enable replaces that line rather than adding a second one that the first would outvote
        Files.write(paths.appConfigFile(), bomOff);
        apply(paths, Mode.ON);
        assertThat(ConfigFile.read(paths.appConfigFile())).isEqualTo("true");
        assertThat(Files.readString(paths.appConfigFile())).isEqualTo("telemetry=true" + System.lineSeparator());
    }

    @Test
    void enableLocalAndDisableRewriteOnlyTheTelemetryLine() throws IOException {
        TelemetryPaths paths = TelemetryPaths.of("acme", new TestEnvironment(root));
        Path file = paths.appConfigFile();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# mine\ncolour=blue\ntelemetry = true\n");
        assertThat(apply(paths, Mode.LOCAL)).startsWith("Telemetry kept on this machine only: saved telemetry=local in ");
        assertThat(Files.readString(file)).isEqualTo("# mine\ncolour=blue\ntelemetry=local\n");
        apply(paths, Mode.OFF);
        assertThat(ConfigFile.read(file)).isEqualTo("false");
        assertThat(apply(paths, Mode.ON)).isEqualTo("Telemetry enabled: saved telemetry=true in " + file + ".\n");
        assertThat(ConfigFile.read(file)).isEqualTo("true");
        assertThat(Files.readString(file)).contains("colour=blue");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void disablingDeletesWhatWasNotSentAndKeepsTheSentCopies() throws IOException {
        TelemetryPaths paths = TelemetryPaths.of("acme", new TestEnvironment(root));
        Path state = paths.stateDirectory();
        Path[] unsent = {state.resolve("counts/2026-11-24/123.on.json"), state.resolve("outbox/2026-11-23_a.json"),
                state.resolve("local/2026-11-23_b.json"), state.resolve("merged/2026-11-23.on")};
        Path sent = state.resolve("sent/2026-11-22_c.json");
        for (Path p : unsent) {
            Files.createDirectories(p.getParent());
            Files.writeString(p, "{}");
        }
        Files.createDirectories(sent.getParent());
        Files.writeString(sent, "{}");

        Files.createDirectories(state.resolve("tmp/nested/deeper"));
        Files.writeString(state.resolve("tmp/nested/deeper/.half-written.tmp"), "{");
        Files.createSymbolicLink(state.resolve("outbox/link-to-sent"), sent.getParent());
        assertThat(apply(paths, Mode.OFF)).contains("deleted 6 files recorded here and not yet sent.")
                .doesNotContain("Could not delete");
        assertThat(state.resolve("tmp")).doesNotExist();
        for (Path p : unsent) {
            assertThat(p).doesNotExist();
        }
        assertThat(sent).exists();
    }

    @Test
    void disablingWithAFileWhereTheStateFolderGoesDeletesNothingAndReportsNoFailure() throws IOException {
        TelemetryPaths paths = TelemetryPaths.of("acme", new TestEnvironment(root));
        Files.createDirectories(paths.stateDirectory().getParent());
        Files.writeString(paths.stateDirectory(), "not a folder");
        assertThat(apply(paths, Mode.OFF)).contains("deleted 0 files recorded here and not yet sent.")
                .doesNotContain("Could not delete");
        assertThat(paths.stateDirectory()).hasContent("not a folder");
    }

    @Test
    void aFileThatCannotBeWrittenIsReportedWithWhatToDo() throws IOException {
        TelemetryPaths paths = TelemetryPaths.of("acme", new TestEnvironment(root));
        Files.createDirectories(paths.appConfigFile()); // a folder where the file should be
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ConfigFile.apply(paths, Mode.OFF, "acme", new PrintStream(out, true, StandardCharsets.UTF_8))).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Could not save telemetry=false in " + paths.appConfigFile())
                .contains("ACME_TELEMETRY");
    }
}
