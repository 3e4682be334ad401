package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first-run question on a real pseudo-terminal: acme runs under util-linux {@code script}, which
 * gives it a terminal and relays what the test types. Answering {@code n}, pressing Enter, and not
 * answering (with the wait shortened to 1.5 s by the test-only system property
 * {@code candor.testing.promptTimeoutMillis}, so that the test does not wait 30 s).
 */
class PromptPtyIT {
    static final String QUESTION = "Continue with telemetry? [Y/n]";

    @TempDir
    Path root;

    @BeforeAll
    static void needsScript() {
        assumeTrue(Files.isExecutable(Paths.get("/usr/bin/script")),
                "util-linux script is needed (Debian: bsdutils; .ci/run installs it)");
    }

    /** A run of acme on a terminal: the test reads what it prints and types into it. */
    static final class TerminalSession implements AutoCloseable {
        final Process process;
        final StringBuffer screen = new StringBuffer();
        final OutputStream keyboard;

        TerminalSession(Machine machine, String... args) throws IOException {
            String cmd = machine.command(args).stream().map(TerminalSession::quote).collect(Collectors.joining(" "));
            ProcessBuilder pb = new ProcessBuilder(List.of("/usr/bin/script", "-qec", cmd, "/dev/null"))
                    .directory(machine.root.toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(machine.env);
            pb.environment().put("PATH", "/usr/bin:/bin");
            pb.environment().put("TERM", "dumb");
            process = pb.start();
            keyboard = process.getOutputStream();
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[4096];
                try (InputStream in = process.getInputStream()) {
                    for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                        screen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // the session ended
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static String quote(String s) {
            return "'" + s.replace("'", "'\\''") + "'";
        }

        void waitFor(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!screen.toString().contains(text)) {
                if (System.nanoTime() > deadline || !process.isAlive() && !screen.toString().contains(text)) {
                    Thread.sleep(100); // let the reader catch up once more
                    assertThat(screen.toString()).as("terminal output").contains(text);
                    return;
                }
                Thread.sleep(20);
            }
        }

        void type(String keys) throws IOException {
            keyboard.write(keys.getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        }

        /** Waits for acme to exit (the keyboard stays connected until then) and returns the screen. */
        String finish() throws InterruptedException {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("acme exits").isTrue();
            Thread.sleep(100);
            return screen.toString().replace("\r\n", "\n");
        }

        @Override
        public void close() {
            try {
                keyboard.close();
            } catch (IOException ignored) {
                // already gone
            }
            process.destroyForcibly();
        }
    }

    @Test
    void answeringNoSwitchesTelemetryOffInTheAppFile() throws Exception {
        Machine m = new Machine(root);
        try (TerminalSession s = new TerminalSession(m, "--version")) {
            s.waitFor(QUESTION);
            assertThat(s.screen.toString()).contains("Acme file toolkit 2.0.0", "ACME_TELEMETRY=0");
            s.type("n\n");
            String screen = s.finish();
            assertThat(screen).contains("Telemetry disabled; saved in " + m.appFile())
                    .contains("acme 2.0.0\nTelemetry: disabled in " + m.appFile());
        }
        assertThat(Files.readString(m.appFile())).contains("telemetry=false");
        assertThat(m.acme("--version").lastLine()).isEqualTo("Telemetry: disabled in " + m.appFile());
    }

    @Test
    void pressingEnterSwitchesTelemetryOn() throws Exception {
        Machine m = new Machine(root);
        try (TerminalSession s = new TerminalSession(m, "--version")) {
            s.waitFor(QUESTION);
            s.type("\n");
            assertThat(s.finish()).contains("Telemetry enabled; saved in " + m.appFile())
                    .contains("acme 2.0.0\n" + StatusLinesIT.ENABLED);
        }
        assertThat(Files.readString(m.appFile())).contains("telemetry=true");
    }

    @Test
    void noAnswerDecidesNothingAndTheQuestionComesBackNextRun() throws Exception {
        Machine m = new Machine(root);
        m.jvmOptions.add("-Dcandor.testing.promptTimeoutMillis=1500");
        try (TerminalSession s = new TerminalSession(m, "--version")) {
            s.waitFor(QUESTION);
            assertThat(s.finish()).contains("No answer; telemetry stays off for now and you will be asked again")
                    .contains("acme 2.0.0\nTelemetry: not yet enabled (not answered; asked again on the next run)");
        }
        assertThat(m.appFile()).doesNotExist();
        assertThat(m.stateDir()).doesNotExist();
        try (TerminalSession again = new TerminalSession(m, "--version")) {
            again.waitFor(QUESTION);
            again.type("n\n");
            assertThat(again.finish()).contains("Telemetry: disabled in " + m.appFile());
        }
    }
}
