package dev.candor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.candor.internal.consent.TelemetryPaths;
import dev.candor.internal.context.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state folder and the process around the SDK as a reviewer broke them: named pipes where files belong, a
 * damaged first-run marker, standard error closed, and settings that come before the app's file.
 */
class DamagedStateTest {
    @TempDir
    Path root;

    private TelemetryOptions.Builder options(TestEnvironment env, String... args) {
        return TelemetryOptions.builder().appVersion("2.0.0").catalogResource(TelemetryTest.CATALOG).environment(env)
                .args(args);
    }

    private TelemetryPaths paths(TestEnvironment env) {
        return TelemetryPaths.of("acme", env);
    }

    private List<Path> countFiles(TestEnvironment env) throws IOException {
        Path counts = paths(env).stateDirectory().resolve("counts");
        if (!Files.exists(counts)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(counts)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    private static void mkfifo(Path path) throws Exception {
        Files.createDirectories(path.getParent());
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        } catch (IOException e) {
            p = null;
        }
        assumeTrue(p != null && p.waitFor() == 0, "mkfifo is needed for this test");
    }

    /** A run with one event counted, from start to close. */
    private Telemetry countOnce(TestEnvironment env) {
        try (Telemetry t = Telemetry.start(options(env, "count").build())) {
            t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s").increment();
            t.mode(); // the whole start, background part included
            return t;
        }
    }

    @Test
    void aNamedPipeWhereTheAgreedCatalogOrTheNoticeMarkerBelongsNeverHoldsTheAppUp() throws Exception {
        for (String file : new String[] {"agreed-catalog.json", "notice-shown"}) {
            TestEnvironment env = new TestEnvironment(root.resolve(file)).set("ACME_TELEMETRY", "1");
            mkfifo(paths(env).stateDirectory().resolve(file));
            Telemetry t = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> countOnce(env), file);
            assertThat(t.whatIsNew()).as(file + ": agrees to nothing, as a damaged record does")
                    .doesNotStartWith("Nothing new");
            assertThat(countFiles(env)).as(file).isEmpty();
        }
    }

    @Test
    void aNoticeMarkerThatNamesNoCatalogAgreesToNothing() throws Exception {
        for (String content : new String[] {"", "\u0000\u00ff garbage", "The telemetry notice was shown here\n"}) {
            Path machine = Files.createTempDirectory(root, "machine");
            TestEnvironment env = new TestEnvironment(machine);
            Path marker = paths(env).noticeMarker();
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, content, StandardCharsets.ISO_8859_1);
            Telemetry t = countOnce(env);
            assertThat(t.mode()).as("on: the notice was shown").isEqualTo(Mode.ON);
            assertThat(t.whatIsNew()).as("but every item waits for the user's OK").doesNotStartWith("Nothing new");
            assertThat(countFiles(env)).as("marker %s", content).isEmpty();
        }
    }

    @Test
    void theMarkerTheSdkWritesNamesTheCatalogItShowedAndCountsAsAgreed() throws Exception {
        TestEnvironment env = new TestEnvironment(root);
        assertThat(countOnce(env).statusLine()).isEqualTo("Telemetry: not yet enabled (notice shown; starts on the next run)");
        assertThat(Files.readString(paths(env).noticeMarker())).contains("catalog_sha256=");
        countOnce(new TestEnvironment(root));
        assertThat(countFiles(env)).hasSize(1);
    }

    @Test
    void aNoticeThatCouldNotBePrintedIsNotRememberedAsShown() throws Exception {
        TestEnvironment env = new TestEnvironment(root).errorsClosed();
        Telemetry t = countOnce(env);
        assertThat(t.mode()).isEqualTo(Mode.OFF);
        assertThat(t.statusLine()).isEqualTo("Telemetry: not yet enabled (a notice comes first, on the next run)");
        assertThat(paths(env).noticeMarker()).doesNotExist();
        assertThat(countOnce(new TestEnvironment(root)).statusLine()).as("shown on the next run that can show it")
                .isEqualTo("Telemetry: not yet enabled (notice shown; starts on the next run)");
    }

    @Test
    void aStateFolderThatCannotBeWrittenShowsNoNoticeAndWritesNothing() throws Exception {
        Path file = Files.writeString(root.resolve("a-file"), "not a folder");
        for (int run = 1; run <= 2; run++) {
            TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY_DIR", file.resolve("state").toString());
            Telemetry t = countOnce(env);
            assertThat(t.mode()).isEqualTo(Mode.OFF);
            assertThat(t.statusLine()).isEqualTo("Telemetry: not yet enabled (" + file.resolve("state/state")
                    + " cannot be written; nothing is recorded until it can)");
            assertThat(env.errorText()).as("run %d: no notice that would come back on every run", run).isEmpty();
        }
        assertThat(Files.readString(file)).isEqualTo("not a folder");
        TestEnvironment debugged = new TestEnvironment(root).set("ACME_TELEMETRY_DIR", file.resolve("state").toString());
        Telemetry.start(options(debugged, "count", "--debug-telemetry").build()).close();
        assertThat(debugged.errorText()).contains("cannot be written").doesNotContain("collects anonymous usage");
    }

    /**
     * The state folder is a link to a drive that is not mounted: the folder above it can be written, so the notice
     * is shown, but its marker cannot be (even by root). The notice and the status line must not promise the next
     * run, which shows the notice again and records nothing; once the drive is back, the notice is remembered.
     */
    @Test
    void aNoticeWhoseMarkerCannotBeWrittenPromisesNoStartOnTheNextRun() throws Exception {
        Path state = paths(new TestEnvironment(root)).stateDirectory();
        Path drive = root.resolve("unmounted-drive/telemetry");
        Files.createDirectories(state.getParent());
        Files.createSymbolicLink(state, drive);
        String line = "Telemetry: not yet enabled (" + state.resolve("notice-shown")
                + " cannot be written; nothing is recorded until it can)";
        for (int run = 1; run <= 2; run++) {
            TestEnvironment env = new TestEnvironment(root);
            Telemetry t = countOnce(env);
            assertThat(t.mode()).isEqualTo(Mode.OFF);
            assertThat(t.statusLine()).as("run %d", run).isEqualTo(line);
            assertThat(env.errorText()).as("run %d", run).contains("collects anonymous usage statistics")
                    .contains("This run records nothing, and this notice could not be remembered ("
                            + state.resolve("notice-shown") + " cannot be written): it will be shown again")
                    .doesNotContain("starts with the next run");
        }
        assertThat(drive).doesNotExist();
        Files.createDirectories(drive);
        TestEnvironment mounted = new TestEnvironment(root);
        assertThat(countOnce(mounted).statusLine()).isEqualTo("Telemetry: not yet enabled (notice shown; starts on the next run)");
        assertThat(mounted.errorText()).contains("telemetry starts with the next run");
        assertThat(countOnce(new TestEnvironment(root)).mode()).isEqualTo(Mode.ON);
    }

    @Test
    void anEnabledRunWhoseStateFolderCannotBeWrittenSaysNothingIsRecorded() throws Exception {
        Path file = Files.writeString(root.resolve("a-file"), "not a folder");
        String state = file.resolve("state").resolve("state").toString();
        String[][] modes = {{"1", "enabled"}, {"local", "local only"}};
        for (String[] mode : modes) {
            TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY_DIR", file.resolve("state").toString())
                    .set("ACME_TELEMETRY", mode[0]);
            Telemetry t = countOnce(env);
            assertThat(t.statusLine()).isEqualTo("Telemetry: " + mode[1] + " (" + state
                    + " cannot be written; nothing is recorded until it can)");
            assertThat(t.status().line()).isEqualTo(t.statusLine());
        }
        TestEnvironment writable = new TestEnvironment(root).set("ACME_TELEMETRY", "1");
        assertThat(countOnce(writable).statusLine()).as("the folder does not exist yet, but can be made")
                .isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)");
        assertThat(Files.readString(file)).isEqualTo("not a folder");
    }

    /**
     * The state folder is a link to a drive that is not mounted, and the user enabled telemetry: the folder above
     * can be written, but nothing can be recorded, so the status line must not say plainly "enabled". Once the
     * drive is back, it does, and the run records.
     */
    @Test
    void anEnabledRunWhoseStateFolderIsALinkToNowhereSaysNothingIsRecorded() throws Exception {
        Path state = paths(new TestEnvironment(root)).stateDirectory();
        Path drive = root.resolve("unmounted-drive/telemetry");
        Files.createDirectories(state.getParent());
        Files.createSymbolicLink(state, drive);
        String[][] modes = {{"1", "enabled"}, {"local", "local only"}};
        for (String[] mode : modes) {
            TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", mode[0]);
            Telemetry t = countOnce(env);
            assertThat(t.statusLine()).isEqualTo("Telemetry: " + mode[1] + " (" + state
                    + " cannot be written; nothing is recorded until it can)");
            assertThat(t.status().line()).isEqualTo(t.statusLine());
        }
        assertThat(drive).doesNotExist();
        Files.createDirectories(drive);
        TestEnvironment mounted = new TestEnvironment(root).set("ACME_TELEMETRY", "1");
        assertThat(countOnce(mounted).statusLine()).isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)");
        assertThat(countFiles(mounted)).hasSize(1);
    }

    @Test
    void aTelemetryCommandBeforeTheNoticeSaysTheNoticeComesFirst() {
        TestEnvironment env = new TestEnvironment(root);
        Telemetry t = Telemetry.start(options(env, "telemetry", "show").forTelemetryCommand().build());
        assertThat(t.statusLine()).isEqualTo("Telemetry: not yet enabled (a notice comes first, on the next run)");
        assertThat(paths(env).noticeMarker()).doesNotExist();
    }

    @Test
    void enablingWhileASettingThatComesFirstTurnsTelemetryOffSaysSoAndWritesNothingElse() throws Exception {
        Path admin = root.resolve("etc/candor/telemetry.properties");
        Files.createDirectories(admin.getParent());
        Files.writeString(admin, "telemetry=false\n");
        for (String[] variable : new String[][] {{"X_UNUSED", "1"}, {"DO_NOT_TRACK", "1"}}) {
            TestEnvironment env = new TestEnvironment(root).set(variable[0], variable[1]);
            if (variable[0].equals("DO_NOT_TRACK")) {
                Files.delete(admin);
            }
            Telemetry t = Telemetry.start(options(env, "telemetry", "enable").forTelemetryCommand().build());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(t.runCommand(new PrintStream(out, true, StandardCharsets.UTF_8), "enable")).isZero();
            String said = out.toString(StandardCharsets.UTF_8);
            String decider = variable[0].equals("DO_NOT_TRACK") ? "DO_NOT_TRACK=1" : admin.toString();
            assertThat(said).contains("Not in effect while " + decider + " decides first (it comes before "
                    + paths(env).appConfigFile() + ").");
            assertThat(paths(env).stateDirectory()).as("off writes no file but the settings file the user asked for")
                    .doesNotExist();
        }
    }
}
