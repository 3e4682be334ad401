package dev.candor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.candor.internal.context.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API in process, on a machine the test controls (see {@link TestEnvironment}). */
class TelemetryTest {
    static final String CATALOG = "dev/candor/acme-catalog.json";

    @TempDir
    Path root;

    private TelemetryOptions.Builder options(TestEnvironment env, String... args) {
        return TelemetryOptions.builder().appVersion("2.0.0").catalogResource(CATALOG).environment(env).args(args);
    }

    private List<Path> filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    /**
     * A machine where telemetry is on (by the variable, to a collector that is not there) and a first run
     * recorded the agreed catalog: every later start there is an ordinary, quick one.
     */
    private TestEnvironment agreedAndOn() {
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1")
                .set("ACME_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/v1/reports");
        try (Telemetry first = Telemetry.start(options(env, "count").build())) {
            assertThat(first.mode()).isEqualTo(Mode.ON);
        }
        return env;
    }

    /** Every counter file acme's runs wrote on this machine, one after the other. */
    private String allCounterFiles() throws IOException {
        return String.join("\n", filesUnder(root.resolve("home/.local/state/acme/telemetry/counts")).stream()
                .map(TelemetryTest::read).collect(Collectors.toList()));
    }

    private static Set<String> candorThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("candor")).collect(Collectors.toSet());
    }

    @Test
    void offMeansNoFileNoThreadAndSharedNoOpCounters() throws IOException {
        TestEnvironment env = new TestEnvironment(root);
        Set<String> threadsBefore = candorThreads();
        try (Telemetry t = Telemetry.start(options(env, "--no-telemetry", "count").build())) {
            assertThat(t.mode()).isEqualTo(Mode.OFF);
            assertThat(t.statusLine()).isEqualTo("Telemetry: disabled by --no-telemetry");
            assertThat(t.status().source()).isEqualTo(TelemetryStatus.Source.FLAG);
            Counter a = t.counter("command_run", "command", "count", "success", "true", "duration", "<100ms");
            Counter b = t.counter("input_size", "size", "<1KB");
            assertThat(a).isSameAs(b);
            a.increment();
            t.time("command_run", "command", "count").stop("success", "true");
            t.error(new IOException("secret path /home/alice"));
        }
        assertThat(filesUnder(root)).isEmpty();
        assertThat(candorThreads()).isEqualTo(threadsBefore);
        assertThat(env.errorText()).isEmpty();
    }

    @Test
    void aFirstRunWithoutTerminalShowsTheNoticeAndRecordsNothing() {
        TestEnvironment env = new TestEnvironment(root);
        Telemetry first = Telemetry.start(options(env, "count").build());
        assertThat(first.mode()).isEqualTo(Mode.OFF);
        assertThat(first.statusLine()).isEqualTo("Telemetry: not yet enabled (notice shown; starts on the next run)");
        assertThat(env.errorText()).contains("Acme file toolkit 2.0.0", "ACME_TELEMETRY=0");

        TestEnvironment again = new TestEnvironment(root);
        try (Telemetry second = Telemetry.start(options(again, "count").build())) {
            assertThat(second.mode()).isEqualTo(Mode.ON);
            assertThat(second.statusLine()).isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)");
        }
        assertThat(again.errorText()).isEmpty();
    }

    @Test
    void aTelemetryCommandNeverShowsTheNotice() throws IOException {
        TestEnvironment env = new TestEnvironment(root);
        Telemetry t = Telemetry.start(options(env, "telemetry", "disable").forTelemetryCommand().build());
        assertThat(env.errorText()).isEmpty();
        assertThat(filesUnder(root)).isEmpty();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(t.runCommand(new PrintStream(out, true, StandardCharsets.UTF_8), "disable")).isZero();
        Path appFile = root.resolve("home/.config/acme/telemetry.properties");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("Telemetry disabled: saved telemetry=false in " + appFile)
                .contains("Telemetry: disabled in " + appFile);
        assertThat(filesUnder(root)).containsExactly(appFile); // the one file "off" may write
        assertThat(t.mode()).isEqualTo(Mode.OFF);
    }

    @Test
    void settingTheModeShowsWhatStillOverridesIt() {
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "0");
        Telemetry t = Telemetry.start(options(env, "telemetry", "enable").forTelemetryCommand().build());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(t.setMode(Mode.ON, new PrintStream(out, true, StandardCharsets.UTF_8))).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Telemetry enabled: saved telemetry=true")
                .contains("Telemetry: disabled by ACME_TELEMETRY=0");
    }

    @Test
    void aMissingOrInvalidCatalogGivesAnOffHandleThatSaysWhy() {
        TestEnvironment env = new TestEnvironment(root);
        for (String resource : List.of("no/such/catalog.json", "dev/candor/invalid-catalog.json")) {
            Telemetry t = Telemetry.start(options(env, "--telemetry").catalogResource(resource).build());
            assertThat(t.mode()).isEqualTo(Mode.OFF);
            assertThat(t.status().source()).isEqualTo(TelemetryStatus.Source.UNAVAILABLE);
            assertThat(t.statusLine()).startsWith("Telemetry: disabled (");
            assertThat(t.counter("command_run")).isNotNull();
            assertThat(t.runCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    "enable")).isEqualTo(1);
        }
        assertThat(root.resolve("home")).doesNotExist();
    }

    @Test
    void debugOutputShowsTheDecisionAndEachEvent() {
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY_DEBUG", "1").set("ACME_TELEMETRY", "1");
        try (Telemetry t = Telemetry.start(options(env, "count").build())) {
            t.counter("input_size", "size", "<1KB").increment();
            t.counter("input_size", "size", "huge").increment();
            t.time("command_run", "command", "count").stop("success", "false");
            t.error(new IllegalStateException("no"));
        }
        assertThat(env.errorText())
                .contains("[candor] decided: ON by ENVIRONMENT (ACME_TELEMETRY=1)")
                .contains("[candor] {\"event\":\"input_size\",\"size\":\"<1KB\",\"n\":1}")
                .contains("does not allow \"huge\"")
                .contains("[candor] {\"event\":\"command_run\",\"command\":\"count\",\"success\":false,\"duration\":\"<100ms\",\"n\":1}")
                .contains("[candor] {\"event\":\"error\",\"type\":\"java.lang.IllegalStateException\",\"n\":1}")
                .doesNotContain("\"no\"");
    }

    @Test
    void onRecordsToThisProcessCounterFileAndCloseStopsTheThreads() throws IOException {
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1")
                .set("ACME_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/v1/reports");
        Set<String> threadsBefore = candorThreads();
        try (Telemetry t = Telemetry.start(options(env, "count").build())) {
            assertThat(t.mode()).isEqualTo(Mode.ON);
            Counter c = t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s");
            assertThat(c).isSameAs(t.counter("command_run", "duration", "1s-5s", "success", "true", "command", "hash"));
            for (int i = 0; i < 5; i++) {
                c.increment();
            }
        }
        Path counts = root.resolve("home/.local/state/acme/telemetry/counts");
        List<Path> files = filesUnder(counts);
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getFileName().toString()).endsWith(".on.json");
        assertThat(Files.readString(files.get(0))).contains("\"cell\":[\"hash\",\"true\",\"1s-5s\"],\"n\":5");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!candorThreads().equals(threadsBefore) && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        assertThat(candorThreads()).isEqualTo(threadsBefore);
    }

    /**
     * A second run of the same catalog starts quickly; a method that needs the parsed catalog (here mode())
     * begins the background start at once, and what was counted before and after is written.
     */
    @Test
    void anOrdinaryRunStartsInTheBackgroundAndKeepsWhatWasCountedMeanwhile() throws IOException {
        TestEnvironment env = agreedAndOn();
        Path agreed = root.resolve("home/.local/state/acme/telemetry/agreed-catalog.json");
        assertThat(agreed).exists();
        Set<String> threadsBefore = candorThreads();
        Telemetry t = Telemetry.start(options(env, "count").build());
        Counter early = t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s");
        early.increment();
        early.add(2);
        t.counter("command_run", "command", "bogus", "success", "true", "duration", "1s-5s").increment();
        assertThat(t.mode()).isEqualTo(Mode.ON); // begins the background start and waits for it
        assertThat(t.whatIsNew()).startsWith("Nothing new");
        Counter late = t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s");
        late.increment();
        early.increment();
        t.close();
        List<Path> files = filesUnder(root.resolve("home/.local/state/acme/telemetry/counts"));
        String all = files.stream().map(f -> {
            try {
                return Files.readString(f);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).collect(Collectors.joining("\n"));
        assertThat(all).contains("\"cell\":[\"hash\",\"true\",\"1s-5s\"],\"n\":5").doesNotContain("bogus");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!candorThreads().equals(threadsBefore) && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        assertThat(candorThreads()).isEqualTo(threadsBefore);
    }

    /** Closing right after a quick start, while the background start is still at work, still writes what was counted. */
    @Test
    void closingAtOnceAfterAQuickStartKeepsTheCounts() throws IOException {
        TestEnvironment env = agreedAndOn();
        int runs = 25;
        for (int i = 0; i < runs; i++) {
            Telemetry t = Telemetry.start(options(env, "count").build());
            t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s").increment();
            t.close();
        }
        long counted = 0;
        for (Path f : filesUnder(root.resolve("home/.local/state/acme/telemetry/counts"))) {
            // a short run names the cell's fields ({"command":"hash",…}), a recorder lists its values in field order
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\[\"hash\",\"true\",\"1s-5s\"\\]"
                    + "|\\{\"command\":\"hash\",\"success\":\"true\",\"duration\":\"1s-5s\"\\}),\"n\":(\\d+)")
                    .matcher(Files.readString(f));
            while (m.find()) {
                counted += Long.parseLong(m.group(2));
            }
        }
        assertThat(counted).as("every run's count written").isEqualTo(runs);
    }

    /**
     * An ordinary run that goes on past {@link Telemetry#DEFERRED_START_MILLIS} gets its recorder then (its
     * thread is there, counting on), with what was counted before: the counter file lists the cell's values.
     */
    @Test
    void anOrdinaryRunThatGoesOnGetsItsRecorderWithEverythingCountedSoFar() throws Exception {
        TestEnvironment env = agreedAndOn();
        try (Telemetry t = Telemetry.start(options(env, "count").build())) {
            t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s").increment();
            Timing timing = t.time("command_run", "command", "hash");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (candorThreads().stream().noneMatch(n -> n.startsWith("candor-recorder-acme")) && System.nanoTime() < deadline) {
                sleepBriefly();
            }
            assertThat(candorThreads()).anyMatch(n -> n.startsWith("candor-recorder-acme"));
            timing.stop("success", "true"); // named its duration field before the catalog was parsed
            t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s").increment();
        }
        String all = allCounterFiles();
        // the timing lasted the wait for the recorder, over a second
        assertThat(all).contains("[\"hash\",\"true\",\"1s-5s\"],\"n\":3").doesNotContain("\"cell\":{");
    }

    /**
     * {@code acme telemetry disable} in another terminal while a run goes on (DESIGN §4: off means off, and
     * disabling deletes what was recorded): the run writes nothing at its close, neither a short run's counts
     * nor a recorder's, and a recorder's earlier counter file goes too. Consent here comes from the app's
     * settings file, which the disable rewrites.
     */
    @Test
    void aRunGoingOnWhenTelemetryIsDisabledElsewhereWritesNothingMore() throws Exception {
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/v1/reports");
        dev.candor.internal.consent.TelemetryPaths paths = dev.candor.internal.consent.TelemetryPaths.of("acme", env);
        Files.createDirectories(paths.appConfigFile().getParent());
        for (boolean recorderOpen : new boolean[] {false, true}) {
            Files.writeString(paths.appConfigFile(), "telemetry=true\n");
            try (Telemetry first = Telemetry.start(options(env, "count").build())) {
                assertThat(first.mode()).isEqualTo(Mode.ON); // records the agreed catalog: later runs start quickly
            }
            Telemetry t = Telemetry.start(options(env, "count").build());
            Counter c = t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s");
            c.increment();
            if (recorderOpen) {
                assertThat(t.mode()).isEqualTo(Mode.ON); // the recorder opens now
                t.recorder.flush();
                assertThat(allCounterFiles()).as("written while on").contains("\"n\":1");
            }
            dev.candor.internal.consent.ConfigFile.apply(paths, Mode.OFF, "acme",
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            c.increment();
            t.close();
            Path counts = paths.stateDirectory().resolve("counts");
            assertThat(Files.exists(counts) ? filesUnder(counts) : List.of()).as("recorder open: " + recorderOpen).isEmpty();
        }
    }

    /**
     * A short run whose app also counted a cell with no event name (or anything else the catalog file does not
     * hold) takes the long way at close: the good cell is written, the bad one is not, nothing is thrown.
     */
    @Test
    void aShortRunWithABadCellStillWritesItsGoodCounts() throws IOException {
        TestEnvironment env = agreedAndOn();
        Telemetry t = Telemetry.start(options(env, "count").build());
        t.counter(null, "command", "hash").increment();
        t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s").add(2);
        t.close();
        String all = allCounterFiles();
        assertThat(all).contains("[\"hash\",\"true\",\"1s-5s\"],\"n\":2").doesNotContain("null");
    }

    /**
     * An ordinary run that finds a closed period to merge starts its recorder at once, however short it is:
     * otherwise a user whose runs are all short would never get a report made, nor sent.
     */
    @Test
    void anOrdinaryRunWithAClosedPeriodToMergeMakesItsReportEvenWhenShort() throws Exception {
        TestEnvironment env = agreedAndOn();
        Path state = root.resolve("home/.local/state/acme/telemetry");
        String period = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(3).toString();
        Path old = state.resolve("counts/" + period + "/1-a.on.json");
        Files.createDirectories(old.getParent());
        Files.writeString(old, "{\"v\":1,\"app\":\"acme\",\"period\":\"" + period + "\",\"mode\":\"on\",\"counts\":"
                + "{\"command_run\":[{\"cell\":{\"command\":\"count\",\"success\":\"true\",\"*duration\":\"<100ms\"},\"n\":3}]}}");
        Telemetry t = Telemetry.start(options(env, "count").build());
        t.close();
        long deadline = System.nanoTime() + 5_000_000_000L; // the recorder's thread merges (begun at the start)
        while (reportsIn(state.resolve("outbox")).isEmpty() && System.nanoTime() < deadline) {
            sleepBriefly();
        }
        List<Path> outbox = reportsIn(state.resolve("outbox"));
        assertThat(outbox).hasSize(1);
        assertThat(read(outbox.get(0))).contains("\"period\":\"" + period + "\"").contains("\"command\":\"count\"");
        assertThat(old).doesNotExist();
    }

    /** The reports in an outbox folder: its {@code .json} files, none being written. */
    private List<Path> reportsIn(Path outbox) throws IOException {
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        return filesUnder(outbox).stream().filter(f -> f.getFileName().toString().endsWith(".json")
                && !f.getFileName().toString().startsWith(".")).collect(Collectors.toList());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The quick start decides consent from the app's name before the catalog is parsed in full; an agreed
     * record equal to a catalog that then fails validation still ends as "unavailable", counting nothing.
     */
    @Test
    void aCatalogThatFailsValidationInTheBackgroundStartCountsNothing() throws IOException {
        byte[] bad = ("{\"catalog\": 1, \"app\": \"acme\", \"title\": \"Acme\", \"events\": {}}")
                .getBytes(StandardCharsets.UTF_8);
        Path state = agreedCatalogOnItsOwnClassPath("bad", bad);
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1");
        try (java.net.URLClassLoader loader = classPathLoader();
             Telemetry t = Telemetry.start(TelemetryOptions.builder().catalogResource("bad/catalog.json")
                     .classLoader(loader).environment(env).args("count").build())) {
            t.counter("command_run", "command", "hash").increment();
            assertThat(t.statusLine()).isEqualTo("Telemetry: disabled (no valid telemetry catalog; see the log)");
            assertThat(t.status().source()).isEqualTo(TelemetryStatus.Source.UNAVAILABLE);
            assertThat(t.mode()).isEqualTo(Mode.OFF);
        }
        assertThat(state.resolve("counts")).doesNotExist();
    }

    /**
     * Puts {@code catalog} on a class path of its own as {@code <folder>/catalog.json} (see {@link
     * #classPathLoader}) and records it as the catalog acme's user agreed to; returns acme's state folder.
     */
    private Path agreedCatalogOnItsOwnClassPath(String folder, byte[] catalog) throws IOException {
        Path classes = root.resolve("classes");
        Files.createDirectories(classes.resolve(folder));
        Files.write(classes.resolve(folder).resolve("catalog.json"), catalog);
        Path state = root.resolve("home/.local/state/acme/telemetry");
        Files.createDirectories(state);
        Files.write(state.resolve("agreed-catalog.json"), catalog);
        return state;
    }

    private java.net.URLClassLoader classPathLoader() throws IOException {
        return new java.net.URLClassLoader(new java.net.URL[] {root.resolve("classes").toUri().toURL()}, null);
    }

    /**
     * A quick start leaves the period kind to its start thread, which reads it from the catalog file without a
     * parse. When only the parser can read it (here an escape), the thread parses at once: a run that ends at
     * once still keeps its counts, and its status is the decision's.
     */
    @Test
    void aPeriodOnlyTheParserCanReadStillKeepsAShortRunsCounts() throws IOException {
        String acme = new String(getClass().getClassLoader().getResourceAsStream(CATALOG).readAllBytes(),
                StandardCharsets.UTF_8);
        byte[] escaped = acme.replace("\"period\": \"day\"", "\"period\": \"d\\u0061y\"").getBytes(StandardCharsets.UTF_8);
        assertThat(new String(escaped, StandardCharsets.UTF_8)).contains("d\\u0061y");
        assertThat(dev.candor.internal.catalog.CatalogSource.period(escaped)).isNull();
        Path state = agreedCatalogOnItsOwnClassPath("escaped", escaped);
        TestEnvironment env = new TestEnvironment(root).set("ACME_TELEMETRY", "1")
                .set("ACME_TELEMETRY_ENDPOINT", "http://127.0.0.1:9/v1/reports");
        try (java.net.URLClassLoader loader = classPathLoader()) {
            Telemetry t = Telemetry.start(TelemetryOptions.builder().catalogResource("escaped/catalog.json")
                    .classLoader(loader).environment(env).args("count").build());
            t.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s").increment();
            t.close();
            assertThat(t.status().mode()).isEqualTo(Mode.ON);
            assertThat(t.statusLine()).isEqualTo("Telemetry: enabled (run with --no-telemetry to disable)");
        }
        List<Path> counted = filesUnder(state.resolve("counts"));
        assertThat(counted).hasSize(1);
        assertThat(Files.readString(counted.get(0))).contains("\"n\":1");
    }

    /** The start thread's list of classes to load names real classes, so a rename cannot silently empty it. */
    @Test
    void everyClassTheStartThreadLoadsExists() throws ClassNotFoundException {
        for (String[] names : List.of(Telemetry.StartThread.PRELOADED, Telemetry.StartThread.PRELOADED_WHEN_HANDED,
                Telemetry.StartThread.PRELOADED_FOR_SHORT_CLOSE, Telemetry.StartThread.PRELOADED_FOR_CLOSE)) {
            for (String name : names) {
                Class.forName(name, false, Telemetry.class.getClassLoader());
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void startWithoutOptionsAndWithoutACatalogIsOffAndSaysWhy() {
        // Runs against the real process: safe only because the SDK's tests ship no default catalog.
        assumeTrue(Telemetry.class.getClassLoader().getResource(TelemetryOptions.DEFAULT_CATALOG) == null);
        try (Telemetry t = Telemetry.start(null)) {
            assertThat(t.mode()).isEqualTo(Mode.OFF);
            assertThat(t.statusLine()).isEqualTo("Telemetry: disabled (no valid telemetry catalog; see the log)");
        }
    }

    @Test
    void flagsAreStrippedUpToTheEndOfOptions() {
        assertThat(Telemetry.withoutTelemetryFlags("--no-telemetry", "count", "--debug-telemetry", "--", "--telemetry"))
                .containsExactly("count", "--", "--telemetry");
        assertThat(Telemetry.withoutTelemetryFlags((String[]) null)).isEmpty();
    }
}
