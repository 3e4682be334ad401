package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first run without a terminal: the notice once on stderr, nothing recorded, never a blocking read. */
class FirstRunIT {
    @TempDir
    Path root;

    @Test
    void theNoticeIsShownOnceAndTheNextRunIsEnabled() throws Exception {
        Machine m = new Machine(root);
        Files.writeString(root.resolve("words.txt"), "one two\nthree\n");
        // Standard input stays open and silent: a read would hang the run until the test's timeout.
        Machine.Run first = m.acmeWithSilentInput("count", "words.txt");
        assertThat(first.out).as("%s", first).isEqualTo("2 3 14 words.txt\n");
        assertThat(first.err)
                .contains("Acme file toolkit 2.0.0 collects anonymous usage statistics")
                .contains("A command finished.", "How large the input files are.")
                .contains("https://acme.example/telemetry", "acme telemetry what", "acme telemetry show")
                .contains("acme --no-telemetry", "ACME_TELEMETRY=0", "acme telemetry disable", "DO_NOT_TRACK=1")
                .contains(m.appFile().toString(), m.userFile().toString())
                .contains("This run records nothing")
                .doesNotContain("Continue with telemetry?");
        assertThat(m.stateDir().resolve("notice-shown")).exists();
        assertThat(m.appFile()).doesNotExist();
        try (var files = Files.list(m.stateDir())) {
            assertThat(files).as("nothing recorded in the first run").containsExactly(m.stateDir().resolve("notice-shown"));
        }

        Machine.Run second = m.acme("--version");
        assertThat(second.err).isEmpty();
        assertThat(second.lastLine()).isEqualTo(StatusLinesIT.ENABLED);
    }

    /** The state folder links to a drive that is not mounted: the notice cannot be remembered, and says so. */
    @Test
    void aNoticeThatCannotBeRememberedSaysItWillBeShownAgain() throws Exception {
        Machine m = new Machine(root);
        Files.createDirectories(m.stateDir().getParent());
        Files.createSymbolicLink(m.stateDir(), root.resolve("unmounted-drive/telemetry"));
        String line = "Telemetry: not yet enabled (" + m.stateDir().resolve("notice-shown")
                + " cannot be written; nothing is recorded until it can)";
        for (int run = 1; run <= 2; run++) {
            Machine.Run r = m.acmeWithSilentInput("--version");
            assertThat(r.err).as("run %d: %s", run, r).contains("collects anonymous usage statistics")
                    .contains("this notice could not be remembered").doesNotContain("starts with the next run");
            assertThat(r.lastLine()).isEqualTo(line);
        }
        assertThat(m.acme("telemetry", "status").lastLine()).isEqualTo(line);
    }

    @Test
    void inCiTheNoticeIsPrintedAndNothingAsked() {
        Machine m = new Machine(root).env("CI", "true");
        Machine.Run run = m.acmeWithSilentInput("--version");
        assertThat(run.err).contains("collects anonymous usage statistics").doesNotContain("Continue with telemetry?");
        assertThat(run.lastLine()).isEqualTo("Telemetry: not yet enabled (notice shown; starts on the next run)");
    }

    @Test
    void anOptOutBeforeTheFirstRunMeansNoNoticeAtAll() {
        Machine m = new Machine(root).env("DO_NOT_TRACK", "1");
        Machine.Run run = m.acme("--version");
        assertThat(run.err).isEmpty();
        assertThat(m.stateDir()).doesNotExist();
    }
}
