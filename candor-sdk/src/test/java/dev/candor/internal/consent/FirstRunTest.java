package dev.candor.internal.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Mode;
import dev.candor.TelemetryStatus.Source;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogException;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.context.TestEnvironment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirstRunTest {
    private static final String ACME_JSON = """
            {"catalog": 1, "app": "acme", "title": "Acme file toolkit", "owner": "The Acme maintainers",
             "policy_url": "https://acme.example/telemetry", "endpoint": "https://acme.example/collect",
             "events": {
               "command_run": {"description": "A command finished.", "review": "https://acme.example/r/1",
                               "fields": {"success": {"type": "boolean"}}},
               "file_size": {"description": "How large the input files are.", "review": "https://acme.example/r/2",
                             "fields": {"size": {"type": "count"}}, "noise": {"epsilon": 1.0}}}}
            """;
    static final Catalog ACME = catalog(ACME_JSON);

    @TempDir
    Path root;

    private static Catalog catalog(String json) {
        try {
            return CatalogParser.parse(json.getBytes(StandardCharsets.UTF_8), "catalog.json");
        } catch (CatalogException e) {
            throw new AssertionError(e);
        }
    }

    private ConsentDecision firstRun(TestEnvironment env) {
        return FirstRun.decide(ACME, "acme", "2.0.0", TelemetryPaths.of("acme", env), env, line -> { });
    }

    private static ByteArrayInputStream typed(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutATerminalTheNoticeIsPrintedOnceAndTheNextRunIsOn() {
        TestEnvironment env = new TestEnvironment(root);
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        ConsentDecision d = firstRun(env);
        assertThat(d.mode()).isEqualTo(Mode.OFF);
        assertThat(d.source()).isEqualTo(Source.FIRST_RUN);
        assertThat(env.errorText()).contains("Acme file toolkit 2.0.0").doesNotContain(FirstRun.QUESTION);
        assertThat(paths.noticeMarker()).exists();
        assertThat(paths.appConfigFile()).doesNotExist();

        ConsentDecision next = ConsentResolver.resolve(paths, env, TelemetryFlags.scan(new String[0]), l -> { });
        assertThat(next.mode()).isEqualTo(Mode.ON);
        assertThat(next.source()).isEqualTo(Source.FIRST_RUN);
        assertThat(next.isNoticeDue()).isFalse();
    }

    @Test
    void inCiTheTerminalIsNeverAsked() {
        TestEnvironment env = new TestEnvironment(root).set("CI", "true");
        env.terminal(typed("n\n"));
        ConsentDecision d = firstRun(env);
        assertThat(d.source()).isEqualTo(Source.FIRST_RUN);
        assertThat(env.errorText()).doesNotContain(FirstRun.QUESTION);
        assertThat(TelemetryPaths.of("acme", env).appConfigFile()).doesNotExist();
    }

    @Test
    void answeringNoSavesFalseInTheAppFile() throws IOException {
        TestEnvironment env = new TestEnvironment(root);
        env.terminal(typed("n\n"));
        ConsentDecision d = firstRun(env);
        Path file = TelemetryPaths.of("acme", env).appConfigFile();
        assertThat(d.mode()).isEqualTo(Mode.OFF);
        assertThat(d.source()).isEqualTo(Source.APP_FILE);
        assertThat(d.detail()).isEqualTo(file.toString());
        assertThat(ConfigFile.read(file)).isEqualTo("false");
        assertThat(env.errorText()).contains(FirstRun.QUESTION).contains("saved in " + file);
    }

    @Test
    void pressingEnterOrYesSavesTrue() throws IOException {
        for (String answer : List.of("\n", "y\n", "YES\r\n", "  \n")) {
            Path machine = Files.createTempDirectory(root, "m");
            // The question only reads what the terminal has ready, so end of input is seen as no answer
            // at the timeout: shortened here.
            TestEnvironment env = new TestEnvironment(machine).property(FirstRun.TIMEOUT_PROPERTY, "200");
            env.terminal(typed(answer));
            ConsentDecision d = firstRun(env);
            assertThat(d.mode()).as(answer).isEqualTo(Mode.ON);
            assertThat(ConfigFile.read(TelemetryPaths.of("acme", env).appConfigFile())).isEqualTo("true");
        }
    }

    @Test
    void endOfInputOrAnUnclearAnswerDecidesNothing() {
        for (String answer : List.of("", "maybe\n")) {
            Path machine = root.resolve("m" + answer.length());
            // The question only reads what the terminal has ready, so end of input is seen as no answer
            // at the timeout: shortened here.
            TestEnvironment env = new TestEnvironment(machine).property(FirstRun.TIMEOUT_PROPERTY, "200");
            env.terminal(typed(answer));
            ConsentDecision d = firstRun(env);
            TelemetryPaths paths = TelemetryPaths.of("acme", env);
            assertThat(d.mode()).isEqualTo(Mode.OFF);
            assertThat(d.source()).isEqualTo(Source.FIRST_RUN);
            assertThat(paths.appConfigFile()).doesNotExist();
            assertThat(paths.noticeMarker()).doesNotExist();
            assertThat(env.errorText()).contains("asked again next time");
        }
    }

    @Test
    void noAnswerBeforeTheTimeoutDecidesNothingAndAsksAgainNextRun() throws IOException {
        PipedOutputStream keyboard = new PipedOutputStream();
        TestEnvironment env = new TestEnvironment(root).property(FirstRun.TIMEOUT_PROPERTY, "200");
        env.terminal(new PipedInputStream(keyboard));
        ConsentDecision d = firstRun(env);
        keyboard.close();
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        assertThat(d.source()).isEqualTo(Source.FIRST_RUN);
        assertThat(d.statusLine("acme")).isEqualTo("Telemetry: not yet enabled (not answered; asked again on the next run)");
        assertThat(paths.appConfigFile()).doesNotExist();
        assertThat(paths.noticeMarker()).doesNotExist();
        assertThat(ConsentResolver.resolve(paths, env, TelemetryFlags.scan(null), l -> { }).isNoticeDue()).isTrue();
    }

    @Test
    void anUnansweredQuestionLeavesTheNextTypedLineToTheApp() throws IOException {
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        TestEnvironment env = new TestEnvironment(root).property(FirstRun.TIMEOUT_PROPERTY, "200");
        env.terminal(stdin);
        firstRun(env);
        // The app now reads its own input: the line typed after the timeout must reach the app, not a
        // reader the question left behind.
        keyboard.write("open report.txt\n".getBytes(StandardCharsets.UTF_8));
        keyboard.flush();
        try {
            Thread.sleep(100); // time for a left-behind reader to take the line, were there one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] line = new byte["open report.txt\n".length()];
        assertThat(stdin.available()).isEqualTo(line.length);
        assertThat(stdin.read(line)).isEqualTo(line.length);
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo("open report.txt\n");
        keyboard.close();
    }

    @Test
    void aLineArrivingInPiecesIsReadWhole() throws Exception {
        PipedOutputStream keyboard = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(keyboard);
        Thread typist = new Thread(() -> {
            try {
                keyboard.write('n');
                keyboard.flush();
                Thread.sleep(80);
                keyboard.write("o\nnext".getBytes(StandardCharsets.UTF_8));
                keyboard.flush();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        typist.start();
        assertThat(FirstRun.readLine(stdin, 5_000)).isEqualTo("no");
        typist.join();
        assertThat(stdin.available()).as("what follows the answer's line stays for the app").isEqualTo(4);
        keyboard.close();
    }

    @Test
    void theTimeoutPropertyCanOnlyShortenTheWait() {
        TestEnvironment env = new TestEnvironment(root);
        assertThat(FirstRun.timeoutMillis(env)).isEqualTo(30_000);
        assertThat(FirstRun.timeoutMillis(env.property(FirstRun.TIMEOUT_PROPERTY, "1500"))).isEqualTo(1500);
        assertThat(FirstRun.timeoutMillis(env.property(FirstRun.TIMEOUT_PROPERTY, "999999"))).isEqualTo(30_000);
        assertThat(FirstRun.timeoutMillis(env.property(FirstRun.TIMEOUT_PROPERTY, "soon"))).isEqualTo(30_000);
    }

    @Test
    void theNoticeNamesWhatIsCollectedAndEveryWayOut() {
        TestEnvironment env = new TestEnvironment(root);
        TelemetryPaths paths = TelemetryPaths.of("acme", env);
        String notice = FirstRun.notice(ACME, "acme", "2.0.0", paths);
        assertThat(notice)
                .contains("Acme file toolkit 2.0.0", "The Acme maintainers")
                .contains("A command finished.", "How large the input files are. (blurred with random noise")
                .contains("Never collected")
                .contains("https://acme.example/telemetry", "acme telemetry what", "acme telemetry show")
                .contains("acme --no-telemetry", "ACME_TELEMETRY=0", "acme telemetry disable", "DO_NOT_TRACK=1")
                .contains(paths.appConfigFile().toString(), paths.userConfigFile().toString())
                .contains("acme telemetry local");
    }

    @Test
    void theNoticeWordForWord() {
        TelemetryPaths paths = TelemetryPaths.of("acme", new TestEnvironment(root));
        String ways = """

                  To turn it off, any one of these is enough:
                    acme --no-telemetry ...   for one run
                    ACME_TELEMETRY=0          in your environment
                    acme telemetry disable    saves telemetry=false in APP_FILE
                    DO_NOT_TRACK=1            every tool that honours it
                    or write telemetry=false yourself in that file, or in
                    USER_FILE to switch off every Candor app.
                  Or keep the counts on this machine, never sent: acme telemetry local
                """.replace("APP_FILE", paths.appConfigFile().toString())
                .replace("USER_FILE", paths.userConfigFile().toString());
        String collected = """
                so that its makers learn which features are used and which errors happen.

                  Counted per day, never as single events:
                    - A command finished.
                    - How large the input files are. (blurred with random noise on this machine)
                  With each day's counts: the OS family, CPU architecture, Java major version,
                  a memory tier, how the app was installed, and whether it runs in CI.

                  Never collected: user or host names, file names, paths, file contents,
                  arguments, error messages, exact times, or any identifier that could tell
                  who you are or link one report to another. Your IP address reaches the
                  collector with each upload, as with any connection; it is never stored.

                """;
        String nl = System.lineSeparator();
        assertThat(FirstRun.notice(ACME, "acme", "2.0.0", paths)).isEqualTo((
                "Acme file toolkit 2.0.0 collects anonymous usage statistics for The Acme maintainers,\n" + collected
                + "  Exactly what can be collected: acme telemetry what and https://acme.example/telemetry\n"
                + "  What this machine recorded and sent: acme telemetry show (and show --sent)\n" + ways)
                .replace("\n", nl));
        assertThat(FirstRun.notice(ACME, "acme", " ", paths)).isEqualTo((
                "Acme file toolkit collects anonymous usage statistics for The Acme maintainers,\n" + collected
                + "  Exactly what can be collected: acme telemetry what and https://acme.example/telemetry\n"
                + "  What this machine recorded and sent: acme telemetry show (and show --sent)\n" + ways)
                .replace("\n", nl));
        Catalog ownedBySpace = catalog(ACME_JSON.replace("The Acme maintainers", "\u3000"));
        assertThat(FirstRun.notice(ownedBySpace, "acme", "2.0.0", paths)).startsWith(
                "Acme file toolkit 2.0.0 collects anonymous usage statistics,\n".replace("\n", nl));
    }
}
