package dev.candor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.internal.context.TestEnvironment;
import dev.candor.internal.consent.FirstRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user agreed to acme's older catalog ({@code acme-catalog-v1.json}); the app now ships the current one,
 * which adds the event {@code input_size}, adds the field {@code success} to {@code command_run} and no
 * longer has {@code file_opened}. Nothing new may be recorded before the user's OK; {@code error}, which
 * did not change, keeps counting; counts of {@code file_opened} left from the old version never reach a report.
 */
class CatalogChangeTest {
    static final String V1 = "dev/candor/acme-catalog-v1.json";
    static final String V2 = "dev/candor/acme-catalog.json";

    @TempDir
    Path root;

    private TelemetryOptions.Builder options(TestEnvironment env, String catalog, String... args) {
        return TelemetryOptions.builder().appVersion("2.0.0").catalogResource(catalog).environment(env).args(args);
    }

    private Path state() {
        return root.resolve("home/.local/state/acme/telemetry");
    }

    /** {@code acme telemetry enable} of the version with {@code catalog}. */
    private String enable(String catalog) {
        TestEnvironment env = new TestEnvironment(root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Telemetry t = Telemetry.start(options(env, catalog).forTelemetryCommand().build())) {
            assertThat(t.runCommand(new PrintStream(out, true, StandardCharsets.UTF_8), "enable")).isZero();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String countsWritten() throws IOException {
        Path counts = state().resolve("counts");
        if (!Files.isDirectory(counts)) {
            return "";
        }
        try (Stream<Path> walk = Files.walk(counts)) {
            return walk.filter(Files::isRegularFile).map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    /** Counts what acme's {@code count} command counts: its run, its input's size, and one error. */
    private static void useTheApp(Telemetry t) {
        t.counter("command_run", "command", "count", "success", "true", "duration", "<100ms").increment();
        t.counter("input_size", "size", "<1KB").increment();
        t.error(new IOException("not sent"));
    }

    @Test
    void newItemsRecordNothingUntilAgreedWhileAgreedOnesKeepCounting() throws IOException {
        enable(V1);
        assertThat(state().resolve("agreed-catalog.json")).exists();
        TestEnvironment env = new TestEnvironment(root);
        try (Telemetry t = Telemetry.start(options(env, V2, "count").build())) {
            assertThat(t.mode()).isEqualTo(Mode.ON);
            assertThat(t.statusLine()).isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)");
            assertThat(t.status().newItems()).isEqualTo(2);
            assertThat(t.status().newItemsLine()).isEqualTo("2 new telemetry items wait for your OK and are not"
                    + " counted: review with `acme telemetry what --new`, accept with `acme telemetry enable`");
            useTheApp(t);
        }
        assertThat(env.errorText()).as("no terminal: nothing is asked").isEmpty();
        String counts = countsWritten();
        assertThat(counts).contains("\"error\"", "java.io.IOException").doesNotContain("command_run", "input_size");

        assertThat(enable(V2)).contains("You agreed to 2 new items of this version too");
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2, "count").build())) {
            assertThat(t.status().newItems()).isZero();
            assertThat(t.status().newItemsLine()).isEmpty();
            useTheApp(t);
        }
        assertThat(countsWritten()).contains("command_run", "input_size");
    }

    @Test
    void countsOfARemovedEventLeftByTheOldVersionNeverReachAReport() throws IOException {
        enable(V1);
        String twoDaysAgo = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
        Path leftover = state().resolve("counts/" + twoDaysAgo + "/4242-cafe.on.json");
        Files.createDirectories(leftover.getParent());
        Files.writeString(leftover, "{\"v\":1,\"app\":\"acme\",\"catalog_sha256\":\"" + "0".repeat(64) + "\",\"period\":\""
                + twoDaysAgo + "\",\"mode\":\"on\",\"counts\":{"
                + "\"file_opened\":[{\"cell\":[],\"n\":7}],"
                + "\"command_run\":[{\"cell\":[\"count\",\"<100ms\"],\"n\":3}],"
                + "\"error\":[{\"cell\":[\"java.io.IOException\"],\"n\":2}]}}");
        TestEnvironment env = new TestEnvironment(root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Telemetry t = Telemetry.start(options(env, V2).forTelemetryCommand().build())) {
            assertThat(t.show(new PrintStream(out, true, StandardCharsets.UTF_8), false)).isTrue();
        }
        List<Path> reports;
        try (Stream<Path> files = Files.list(state().resolve("outbox"))) {
            reports = files.collect(Collectors.toList());
        }
        assertThat(reports).hasSize(1);
        String report = Files.readString(reports.get(0));
        assertThat(report).contains("\"error\":[{\"type\":\"java.io.IOException\",\"n\":2}]")
                .doesNotContain("file_opened").doesNotContain("command_run")
                .as("the new noised event is named in noise but has no cells before the OK")
                .contains("\"noise\":{\"input_size\"").doesNotContain("\"input_size\":[");
        assertThat(leftover).doesNotExist();
    }

    /**
     * The user agreed to a catalog without the size {@code ">100MB"}: the report of a closed period still sends that
     * cell (a noised event is dense), with noise alone. {@code telemetry show} says so after the report, in the words
     * of the debug output's line, and says nothing of noise after a report without noised events.
     */
    @Test
    void showExplainsNoisedCountsAfterEachReportAsTheDebugOutputDoes() throws IOException {
        byte[] current;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream(V2)) {
            current = in.readAllBytes();
        }
        String agreed = new String(current, StandardCharsets.UTF_8).replace(", \">100MB\"]", "]");
        assertThat(agreed).isNotEqualTo(new String(current, StandardCharsets.UTF_8));
        Files.createDirectories(state());
        Files.writeString(state().resolve("agreed-catalog.json"), agreed);
        String twoDaysAgo = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
        Path counted = state().resolve("counts/" + twoDaysAgo + "/4242-cafe.on.json");
        Files.createDirectories(counted.getParent());
        Files.writeString(counted, "{\"v\":1,\"app\":\"acme\",\"period\":\"" + twoDaysAgo + "\",\"mode\":\"on\","
                + "\"counts\":{\"input_size\":[{\"cell\":{\"size\":\"<1KB\"},\"n\":3}]}}");
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Telemetry t = Telemetry.start(options(env, V2).forTelemetryCommand().build())) {
            assertThat(t.runCommand(new PrintStream(out, true, StandardCharsets.UTF_8), "show")).isZero();
        }
        String shown = out.toString(StandardCharsets.UTF_8);
        String note = "input_size has local noise (ε = 1): every cell is in the report, each n the true count plus random noise,"
                + " so an n may be above 0, or below, where nothing was counted; size \">100MB\" waits for your OK and"
                + " was never counted: its n is noise alone\n";
        assertThat(shown).contains("1 report waits to be sent").contains("\"size\": \">100MB\"")
                .containsOnlyOnce(note);
        assertThat(shown.substring(shown.indexOf("--- pending:"))).as("right after the report")
                .contains("\n}\n" + note);
    }

    /** The note after a local report: such a report is kept here, never sent, so the note must not say "sent". */
    @Test
    void showsNoiseNoteOfALocalReportWithoutSayingItIsSent() throws IOException {
        enable(V2);
        String twoDaysAgo = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
        Path counted = state().resolve("counts/" + twoDaysAgo + "/4242-cafe.local.json");
        Files.createDirectories(counted.getParent());
        Files.writeString(counted, "{\"v\":1,\"app\":\"acme\",\"period\":\"" + twoDaysAgo + "\",\"mode\":\"local\","
                + "\"counts\":{\"input_size\":[{\"cell\":{\"size\":\"<1KB\"},\"n\":3}]}}");
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "local");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Telemetry t = Telemetry.start(options(env, V2).forTelemetryCommand().build())) {
            assertThat(t.runCommand(new PrintStream(out, true, StandardCharsets.UTF_8), "show")).isZero();
        }
        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("--- local: ").contains("input_size has local noise (ε = 1):")
                .doesNotContain("is sent");
    }

    /**
     * A copy sent under an earlier catalog: the note, made from the current catalog and agreement, would name
     * values and events that copy does not hold, so none is printed after it.
     */
    @Test
    void showSentPrintsNoNoteMadeFromAnotherCatalogAfterAnOlderCopy() throws IOException {
        byte[] current;
        try (java.io.InputStream in = getClass().getClassLoader().getResourceAsStream(V2)) {
            current = in.readAllBytes();
        }
        Files.createDirectories(state());
        Files.writeString(state().resolve("agreed-catalog.json"),
                new String(current, StandardCharsets.UTF_8).replace(", \">100MB\"]", "]"));
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(9).toString();
        String id = "0b3e6c7a-1d2f-4a5b-8c9d-0e1f2a3b4c5d";
        Path copy = Files.createDirectories(state().resolve("sent")).resolve(day + "_" + id + ".json");
        Files.writeString(copy, "{\"v\":1,\"report_id\":\"" + id + "\",\"app\":\"acme\",\"app_version\":\"1.0\","
                + "\"catalog_sha256\":\"" + "ab".repeat(32) + "\",\"period\":\"" + day + "\",\"context\":{},"
                + "\"noise\":{\"input_size\":{\"mechanism\":\"discrete_laplace\",\"epsilon\":1.0}},"
                + "\"counts\":{\"input_size\":[{\"size\":\"<1KB\",\"n\":2}]}}");
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Telemetry t = Telemetry.start(options(env, V2).forTelemetryCommand().build())) {
            assertThat(t.runCommand(new PrintStream(out, true, StandardCharsets.UTF_8), "show", "--sent")).isZero();
        }
        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("1 report sent from this machine").doesNotContain(">100MB")
                .doesNotContain("noise alone");
    }

    @Test
    void yesAtTheTerminalShowsOnlyWhatIsNewAndRecordsIt() throws IOException {
        enable(V1);
        TestEnvironment env = new TestEnvironment(root).terminal(input("y\n"));
        try (Telemetry t = Telemetry.start(options(env, V2, "count").build())) {
            assertThat(t.status().newItems()).isZero();
            useTheApp(t);
        }
        String screen = env.errorText();
        assertThat(screen).contains("What's new in Acme file toolkit's telemetry (acme 2.0.0):",
                "input_size: How large the input files are.  (new event)",
                "    success  true, false  (new field)",
                "No longer collected (stopped with this version): file_opened",
                "Count the new items too? [Y/n] ",
                "The new items are counted from now on; saved in " + state().resolve("agreed-catalog.json"));
        assertThat(screen).as("the difference, not the whole notice").doesNotContain("Never collected", "DO_NOT_TRACK");
        assertThat(countsWritten()).contains("command_run", "input_size", "error");
        assertThat(Files.readString(state().resolve("agreed-catalog.json")))
                .isEqualTo(new String(getClass().getClassLoader().getResourceAsStream(V2).readAllBytes(),
                        StandardCharsets.UTF_8));
    }

    @Test
    void noKeepsTheOldItemsAndIsNotAskedAgainForThisVersion() throws IOException {
        enable(V1);
        TestEnvironment env = new TestEnvironment(root).terminal(input("n\n"));
        try (Telemetry t = Telemetry.start(options(env, V2, "count").build())) {
            assertThat(t.mode()).isEqualTo(Mode.ON);
            assertThat(t.status().newItems()).isEqualTo(2);
            useTheApp(t);
        }
        assertThat(env.errorText()).contains("(telemetry stays on)", "The new items are not counted; what you agreed"
                + " to before still is. You will not be asked again for this version: `acme telemetry enable`"
                + " accepts them later.");
        TestEnvironment again = new TestEnvironment(root).terminal(input(""));
        try (Telemetry t = Telemetry.start(options(again, V2, "count").build())) {
            assertThat(t.status().newItems()).isEqualTo(2);
            useTheApp(t);
        }
        assertThat(again.errorText()).isEmpty();
        assertThat(countsWritten()).contains("\"error\"").doesNotContain("command_run", "input_size");
    }

    @Test
    void noAnswerRecordsNothingNewAndAsksAgain() throws IOException {
        enable(V1);
        TestEnvironment env = new TestEnvironment(root).property(FirstRun.TIMEOUT_PROPERTY, "200").terminal(input(""));
        try (Telemetry t = Telemetry.start(options(env, V2, "count").build())) {
            useTheApp(t);
        }
        assertThat(env.errorText()).contains("No answer; nothing new is counted, and you will be asked again next time.");
        TestEnvironment again = new TestEnvironment(root).terminal(input("\n"));
        try (Telemetry t = Telemetry.start(options(again, V2, "count").build())) {
            assertThat(t.status().newItems()).isZero();
        }
        assertThat(again.errorText()).contains("Count the new items too? [Y/n]", "counted from now on");
    }

    @Test
    void telemetryWhatMarksTheNewItemsAndWhatNewListsOnlyThem() {
        enable(V1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2).forTelemetryCommand().build())) {
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            assertThat(t.runCommand(o, "what")).isZero();
            o.println("----");
            assertThat(t.runCommand(o, "what", "--new")).isZero();
            assertThat(t.runCommand(o, "what", "--old")).isEqualTo(2);
            o.println("----");
            assertThat(t.runCommand(o, "what", "--new", "--new")).as("a flag given twice means it once").isZero();
            o.println("----");
            assertThat(t.runCommand(o, "show", "--sent", "--sent")).isZero();
            assertThat(t.runCommand(o, "show", "--sent", "--new")).isEqualTo(2);
        }
        String[] parts = out.toString(StandardCharsets.UTF_8).split("----\n");
        assertThat(parts[0]).contains("input_size: How large the input files are.  [new: waits for your OK]",
                "  success   true, false  [new: waits for your OK]",
                "2 new telemetry items wait for your OK");
        assertThat(parts[1]).startsWith("2 new telemetry items wait for your OK").contains("(new event)")
                .doesNotContain("error:");
        assertThat(parts[2]).isEqualTo(parts[1].replaceFirst("Usage: acme telemetry what \\[--new\\]\n$", ""));
        assertThat(parts[3]).startsWith("No report was sent from this machine")
                .endsWith("Usage: acme telemetry show [--sent]\n");
    }

    @Test
    void aRecordThatCannotBeReadAgreesToNothing() throws IOException {
        enable(V1);
        Files.writeString(state().resolve("agreed-catalog.json"), "{\"catalog\": 1, \"app\": ");
        TestEnvironment env = new TestEnvironment(root);
        try (Telemetry t = Telemetry.start(options(env, V2, "count").build())) {
            assertThat(t.mode()).isEqualTo(Mode.ON);
            assertThat(t.status().newItems()).isEqualTo(3);
            useTheApp(t);
        }
        assertThat(countsWritten()).isEmpty();
    }

    @Test
    void aHugeRecordIsRefusedUnreadAndAgreesToNothing() throws IOException {
        enable(V1);
        // 4 GiB, sparse: reading it whole would take the app's memory (an Error no catch here would stop).
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(state().resolve("agreed-catalog.json").toFile(), "rw")) {
            huge.setLength(4L << 30);
        }
        TestEnvironment env = new TestEnvironment(root);
        try (Telemetry t = Telemetry.start(options(env, V2, "count", "--debug-telemetry").build())) {
            assertThat(t.mode()).isEqualTo(Mode.ON);
            assertThat(t.status().newItems()).isEqualTo(3);
            useTheApp(t);
        }
        assertThat(countsWritten()).isEmpty();
        assertThat(env.errorText()).contains("agreed-catalog.json cannot be read (larger than 1024 KiB, which no catalog is)");
    }

    @Test
    void aRecordOfAnotherAppAgreesToNothing() throws IOException {
        enable(V1);
        Files.writeString(state().resolve("agreed-catalog.json"), Files.readString(state().resolve("agreed-catalog.json"))
                .replace("\"app\": \"acme\"", "\"app\": \"other\""));
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2, "count").build())) {
            assertThat(t.status().newItems()).isEqualTo(3);
            useTheApp(t);
        }
        assertThat(countsWritten()).isEmpty();
    }

    @Test
    void inLocalModeTheNewItemsAreAcceptedWithTelemetryLocal() {
        TestEnvironment env = new TestEnvironment(root);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Telemetry t = Telemetry.start(options(env, V1).forTelemetryCommand().build())) {
            assertThat(t.runCommand(new PrintStream(out, true, StandardCharsets.UTF_8), "local")).isZero();
        }
        TestEnvironment atTerminal = new TestEnvironment(root).terminal(input("n\n"));
        try (Telemetry t = Telemetry.start(options(atTerminal, V2, "count").build())) {
            assertThat(t.mode()).isEqualTo(Mode.LOCAL);
            assertThat(t.status().newItemsLine()).endsWith("accept with `acme telemetry local`");
        }
        assertThat(atTerminal.errorText()).contains("(telemetry stays local)", "Accept later: acme telemetry local",
                "`acme telemetry local` accepts them later");
    }

    @Test
    void withoutARecordTheCurrentCatalogCountsAsAgreedAndIsWrittenDown() throws IOException {
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1");
        try (Telemetry t = Telemetry.start(options(env, V2, "count").build())) {
            assertThat(t.status().newItems()).isZero();
            useTheApp(t);
        }
        assertThat(countsWritten()).contains("command_run", "input_size", "error");
        assertThat(state().resolve("agreed-catalog.json")).exists();
    }

    @Test
    void aNoticeShownWithoutTerminalForAnOlderCatalogAgreesToNothingOfANewerOne() throws IOException {
        Telemetry.start(options(new TestEnvironment(root), V1, "count").build()).close();
        assertThat(Files.readString(state().resolve("notice-shown"))).contains("catalog_sha256=");
        assertThat(state().resolve("agreed-catalog.json")).doesNotExist();
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2, "count").build())) {
            assertThat(t.mode()).isEqualTo(Mode.ON);
            assertThat(t.status().newItems()).as("every event of the newer catalog").isEqualTo(3);
            useTheApp(t);
        }
        assertThat(countsWritten()).isEmpty();
        TestEnvironment atTerminal = new TestEnvironment(root).terminal(input("y\n"));
        try (Telemetry t = Telemetry.start(options(atTerminal, V2, "count").build())) {
            assertThat(t.status().newItems()).isZero();
            useTheApp(t);
        }
        assertThat(atTerminal.errorText()).contains("command_run: A command finished.  (new event)");
        assertThat(countsWritten()).contains("command_run", "input_size", "error");
    }

    @Test
    void aNoticeShownWithoutTerminalAgreesToItsCatalogFromTheNextRunOn() throws IOException {
        Telemetry.start(options(new TestEnvironment(root), V2, "count").build()).close();
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2, "count").build())) {
            assertThat(t.status().newItems()).isZero();
            useTheApp(t);
        }
        assertThat(countsWritten()).contains("command_run", "input_size", "error");
        assertThat(state().resolve("agreed-catalog.json")).exists();
    }

    @Test
    void theDebugOutputSaysWhatWaits() {
        enable(V1);
        TestEnvironment env = new TestEnvironment(root);
        try (Telemetry t = Telemetry.start(options(env, V2, "count", "--debug-telemetry").build())) {
            useTheApp(t);
        }
        assertThat(env.errorText()).contains("waits for your OK, not counted: new field command_run.success",
                "waits for your OK, not counted: new event input_size",
                "event input_size is new in this version and waits for your OK");
    }

    @Test
    void aServerWithLoggingSaysInItsStartupLogThatNewItemsWait() {
        enable(V1);
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.candor");
        List<String> messages = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                messages.add(r.getLevel() + " " + r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            TestEnvironment env = new TestEnvironment(root).property("java.util.logging.config.file", "logging.properties");
            Telemetry.start(options(env, V2).build()).close();
        } finally {
            log.removeHandler(capture);
        }
        assertThat(messages).containsExactly("INFO Telemetry: enabled (run with --no-telemetry to disable)",
                "INFO 2 new telemetry items wait for your OK and are not counted: review with `acme telemetry what"
                        + " --new`, accept with `acme telemetry enable`");
    }

    /** acme's catalog as a version that never had {@code input_size}: only removals from {@link #V2}. */
    static final String WITHOUT_INPUT_SIZE = "dev/candor/acme-catalog-without-input-size.json";
    /** Less again: without {@code error} too. */
    static final String COMMAND_RUN_ONLY = "dev/candor/acme-catalog-command-run-only.json";
    /** {@link #V2} and one more event, {@code file_split}. */
    static final String V3 = "dev/candor/acme-catalog-v3.json";

    /** A yes to {@link #V2}, then a run of the version without {@code input_size}: the earlier copy is V2. */
    private void agreeToV2ThenRunTheOlderVersion() {
        enable(V2);
        Telemetry.start(options(new TestEnvironment(root), WITHOUT_INPUT_SIZE, "count").build()).close();
    }

    @Test
    void goingBackToAVersionThatHadLessAndForwardAgainAsksNothing() throws IOException {
        enable(V2);
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), WITHOUT_INPUT_SIZE, "count").build())) {
            assertThat(t.status().newItems()).isZero();
            useTheApp(t);
        }
        assertThat(state().resolve("agreed-catalog.json")).as("the record, so that the next start is quick")
                .hasContent(resource(WITHOUT_INPUT_SIZE));
        assertThat(state().resolve("agreed-catalog-earlier.json")).hasContent(resource(V2));

        for (int round = 0; round < 2; round++) {
            TestEnvironment atTerminal = new TestEnvironment(root).terminal(input("n\n"));
            try (Telemetry t = Telemetry.start(options(atTerminal, V2, "count").build())) {
                assertThat(t.status().newItems()).isZero();
                assertThat(t.status().newItemsLine()).isEmpty();
                useTheApp(t);
            }
            assertThat(atTerminal.errorText()).as("nothing is asked").isEmpty();
            assertThat(state().resolve("agreed-catalog.json")).hasContent(resource(V2));
            assertThat(countsWritten()).contains("input_size");
            Telemetry.start(options(new TestEnvironment(root), WITHOUT_INPUT_SIZE, "count").build()).close();
        }
    }

    @Test
    void aChainOfVersionsThatEachHoldLessKeepsTheFirstCopy() throws IOException {
        agreeToV2ThenRunTheOlderVersion();
        Telemetry.start(options(new TestEnvironment(root), COMMAND_RUN_ONLY, "count").build()).close();
        assertThat(state().resolve("agreed-catalog.json")).hasContent(resource(COMMAND_RUN_ONLY));
        assertThat(state().resolve("agreed-catalog-earlier.json")).as("kept, never narrowed").hasContent(resource(V2));
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2, "count").build())) {
            assertThat(t.status().newItems()).isZero();
        }
    }

    @Test
    void anEarlierCopyOfAnotherAppAgreesToNothing() throws IOException {
        enable(WITHOUT_INPUT_SIZE);
        Files.writeString(state().resolve("agreed-catalog-earlier.json"),
                resource(V2).replace("\"app\": \"acme\"", "\"app\": \"other\""));
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2, "count").build())) {
            assertThat(t.status().newItems()).isEqualTo(1);
        }
    }

    @Test
    void aNoToANewerVersionForgetsTheEarlierCopy() throws IOException {
        agreeToV2ThenRunTheOlderVersion();
        TestEnvironment atTerminal = new TestEnvironment(root).terminal(input("n\n"));
        try (Telemetry t = Telemetry.start(options(atTerminal, V3, "count").build())) {
            assertThat(t.status().newItems()).as("input_size and file_split").isEqualTo(2);
        }
        assertThat(atTerminal.errorText()).contains("input_size: How large the input files are.  (new event)",
                "The new items are not counted");
        assertThat(state().resolve("agreed-catalog-earlier.json")).doesNotExist();
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2, "count").build())) {
            assertThat(t.status().newItems()).as("input_size, which the user just declined").isEqualTo(1);
            useTheApp(t);
        }
        assertThat(countsWritten()).doesNotContain("input_size");
    }

    @Test
    void disablingForgetsTheEarlierCopy() throws IOException {
        agreeToV2ThenRunTheOlderVersion();
        TestEnvironment env = new TestEnvironment(root);
        try (Telemetry t = Telemetry.start(options(env, WITHOUT_INPUT_SIZE).forTelemetryCommand().build())) {
            assertThat(t.runCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    "disable")).isZero();
        }
        assertThat(state().resolve("agreed-catalog-earlier.json")).doesNotExist();
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root).set("ACME_TELEMETRY", "1"), V2, "count")
                .build())) {
            assertThat(t.mode()).isEqualTo(Mode.ON);
            assertThat(t.status().newItems()).isEqualTo(1);
            useTheApp(t);
        }
        assertThat(countsWritten()).doesNotContain("input_size");
    }

    @Test
    void aYesToAVersionForgetsWhatWasAgreedBeforeIt() throws IOException {
        agreeToV2ThenRunTheOlderVersion();
        assertThat(state().resolve("agreed-catalog-earlier.json")).exists();
        enable(WITHOUT_INPUT_SIZE);
        assertThat(state().resolve("agreed-catalog-earlier.json")).doesNotExist();
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2, "count").build())) {
            assertThat(t.status().newItems()).as("input_size, agreed before the last yes only").isEqualTo(1);
        }
    }

    @Test
    void anEarlierCopyThatLeavesItemsWaitingOrCannotBeReadAgreesToNothingMore() throws IOException {
        enable(V1);
        Files.writeString(state().resolve("agreed-catalog-earlier.json"), resource(WITHOUT_INPUT_SIZE));
        try (Telemetry t = Telemetry.start(options(new TestEnvironment(root), V2, "count").build())) {
            assertThat(t.status().newItems()).as("input_size waits against both").isEqualTo(2);
        }
        Files.writeString(state().resolve("agreed-catalog-earlier.json"), "{\"catalog\": 1, \"app\": ");
        TestEnvironment env = new TestEnvironment(root);
        try (Telemetry t = Telemetry.start(options(env, V2, "count", "--debug-telemetry").build())) {
            assertThat(t.status().newItems()).isEqualTo(2);
        }
        assertThat(env.errorText()).contains("agreed-catalog-earlier.json is of no use (");
    }

    private static String resource(String name) throws IOException {
        try (java.io.InputStream in = CatalogChangeTest.class.getClassLoader().getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static ByteArrayInputStream input(String typed) {
        return new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8));
    }
}
