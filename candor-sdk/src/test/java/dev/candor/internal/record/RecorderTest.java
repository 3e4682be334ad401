package dev.candor.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Counter;
import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.CatalogDiff;
import dev.candor.internal.catalog.CatalogParser;
import dev.candor.internal.json.Json;
import dev.candor.internal.noise.DiscreteLaplace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
    static final Map<String, Object> CONTEXT = context();

    @TempDir
    Path state;
    final TestClock clock = new TestClock("2026-11-24T10:00:00Z");

    Recorder recorder(Catalog catalog, Mode mode, long seed) {
        return new Recorder(catalog, state, mode, clock, CONTEXT, "2.0.1", null, 3_600_000, 0,
                new Random(seed));
    }

    Recorder recorder() {
        return recorder(TestCatalogs.acme(), Mode.ON, 1);
    }

    @Test
    void eachClosedDayGivesExactlyOneReportAndTheOpenDayNone() throws Exception {
        Recorder r = recorder();
        Counter convert = r.counter("command_run", "command", "convert", "success", "true", "duration", "1s-5s");
        convert.increment();
        convert.add(2);
        r.flush();
        assertThat(r.mergeClosedPeriods()).isEmpty();
        assertThat(reports("outbox")).isEmpty();

        clock.set("2026-11-25T00:00:00Z");
        r.flush(); // the background thread's flush at the boundary
        clock.set("2026-11-25T08:00:00Z");
        convert.increment();
        r.flush();
        List<Path> written = r.mergeClosedPeriods();
        assertThat(written).hasSize(1);
        assertThat(reports("outbox")).hasSize(1);
        Map<String, Object> day1 = read(written.get(0));
        assertThat(day1.get("period")).isEqualTo("2026-11-24");
        assertThat(cells(day1, "command_run")).containsExactly(
                cell("command", "convert", "success", true, "duration", "1s-5s", "n", 3L));
        assertThat(written.get(0).getFileName().toString()).isEqualTo("2026-11-24_" + day1.get("report_id") + ".json");
        assertThat(state.resolve("counts/2026-11-24")).doesNotExist();
        assertThat(state.resolve("merged/2026-11-24.on")).exists();
        // A second merge finds nothing more to do.
        assertThat(r.mergeClosedPeriods()).isEmpty();

        clock.set("2026-11-27T01:00:00Z");
        r.flush();
        List<Path> later = r.mergeClosedPeriods();
        assertThat(later).hasSize(1);
        Map<String, Object> day2 = read(later.get(0));
        assertThat(day2.get("period")).isEqualTo("2026-11-25");
        assertThat(cells(day2, "command_run")).containsExactly(
                cell("command", "convert", "success", true, "duration", "1s-5s", "n", 1L));
        // Day 26 had no counts and gets no report; day 27 is open.
        assertThat(reports("outbox")).hasSize(2);
    }

    @Test
    void countsGoToThePeriodInWhichTheyWereRecorded() throws Exception {
        Recorder r = recorder();
        r.flush(); // the open period is 2026-11-24
        r.counter("error", "type", "java.io.IOException").add(4);
        clock.set("2026-11-25T00:00:01Z");
        r.flush(); // first flush after midnight: the four belong to the 24th
        r.counter("error", "type", "java.io.IOException").increment();
        r.flush();
        clock.set("2026-11-26T00:00:01Z");
        r.flush();
        List<Path> written = r.mergeClosedPeriods();
        assertThat(written).hasSize(2);
        Map<String, Map<String, Object>> byPeriod = new LinkedHashMap<>();
        for (Path p : written) {
            Map<String, Object> report = read(p);
            byPeriod.put((String) report.get("period"), report);
        }
        assertThat(cells(byPeriod.get("2026-11-24"), "error")).containsExactly(cell("type", "java.io.IOException", "n", 4L));
        assertThat(cells(byPeriod.get("2026-11-25"), "error")).containsExactly(cell("type", "java.io.IOException", "n", 1L));
    }

    /**
     * The debug output prints each report, and a noised event is sent with every cell, a value that waits for the
     * user's OK included (never counted: its n is noise alone, and may well be 1 or 2). The line after the report
     * says so, so that the user who was told "waits for your OK, not counted" does not read a count there.
     */
    @Test
    void theDebugOutputSaysWhichNoisedCountsAreNoiseAlone() throws Exception {
        Catalog acme = TestCatalogs.acme();
        String file;
        try (java.io.InputStream in = TestCatalogs.class.getResourceAsStream("acme-catalog.json")) {
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Catalog earlier = CatalogParser.parse(file.replace(", \">100MB\"]", "]").getBytes(StandardCharsets.UTF_8),
                "an earlier version");
        List<String> debug = new ArrayList<>();
        Recorder r = new Recorder(CatalogDiff.agreedPart(acme, earlier), state, Mode.ON, clock, CONTEXT, "2.0", debug::add,
                3_600_000, 0, new Random(1));
        r.counter("input_size", "size", ">100MB").increment(); // waits: a no-op
        r.counter("input_size", "size", "<1KB").add(3);
        r.flush();
        clock.set("2026-11-25T10:00:00Z");
        assertThat(r.mergeClosedPeriods()).hasSize(1);
        int at = debug.size() - 2;
        assertThat(debug.get(at)).as("%s", debug).startsWith("{\"v\":1,").contains("{\"size\":\">100MB\",\"n\":");
        assertThat(debug.get(at + 1)).isEqualTo("input_size has local noise (ε = 1): every cell is in the report, each n the true"
                + " count plus random noise, so an n may be above 0, or below, where nothing was counted; size \">100MB\""
                + " waits for your OK and was never counted: its n is noise alone");
        assertThat(ReportBuilder.noiseNote(acme)).as("nothing waits").endsWith("where nothing was counted");
        assertThat(ReportBuilder.noiseNote(CatalogParser.parse(file.replace(",\n      \"noise\": {\"epsilon\": 1.0}", "")
                .getBytes(StandardCharsets.UTF_8), "no noise"))).isNull();
    }

    @Test
    void theGraceTimeKeepsARecentlyClosedPeriodOpenForLateWriters() throws Exception {
        Recorder r = new Recorder(TestCatalogs.acme(), state, Mode.ON, clock, CONTEXT, "2.0", null,
                3_600_000, 600_000, new Random(1));
        r.counter("error", "type", "java.io.IOException").increment();
        r.flush();
        clock.set("2026-11-25T00:09:00Z");
        r.flush();
        assertThat(r.mergeClosedPeriods()).isEmpty();
        clock.set("2026-11-25T00:10:00Z");
        assertThat(r.mergeClosedPeriods()).hasSize(1);
    }

    @Test
    void countsAreClampedToMaxPerCell() throws Exception {
        Recorder r = recorder();
        r.counter("command_run", "command", "hash", "success", "false", "duration", ">30s").add(500);
        r.counter("command_run", "command", "count", "success", "true", "duration", "<100ms").add(99);
        r.flush();
        clock.set("2026-11-25T10:00:00Z");
        Map<String, Object> report = read(r.mergeClosedPeriods().get(0));
        assertThat(cells(report, "command_run")).containsExactly(
                cell("command", "count", "success", true, "duration", "<100ms", "n", 99L),
                cell("command", "hash", "success", false, "duration", ">30s", "n", 100L));
    }

    @Test
    void noisedEventsAreDenseWithDiscreteLaplaceNoiseOfScaleOneOverEpsilon() throws Exception {
        long seed = 77;
        Recorder r = recorder(TestCatalogs.acme(), Mode.ON, seed);
        r.counter("input_size", "size", "1KB-1MB").add(7);
        r.counter("input_size", "size", ">100MB").add(1000);
        r.flush();
        clock.set("2026-11-25T10:00:00Z");
        Map<String, Object> report = read(r.mergeClosedPeriods().get(0));
        // The same seed draws the report id (two longs) and then one noise sample per cell, in cell order.
        Random replay = new Random(seed);
        replay.nextLong();
        replay.nextLong();
        long[] clamped = {0, 7, 0, 100};
        String[] sizes = {"<1KB", "1KB-1MB", "1MB-100MB", ">100MB"};
        List<Map<String, Object>> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.add(cell("size", sizes[i], "n", clamped[i] + DiscreteLaplace.sample(replay, 1, 1)));
        }
        assertThat(cells(report, "input_size")).containsExactlyElementsOf(expected);
        assertThat(report.get("noise")).isEqualTo(Map.of("input_size",
                Map.of("mechanism", "discrete_laplace", "epsilon", new java.math.BigDecimal("1.0"))));
        assertThat(Json.write(report.get("noise")))
                .isEqualTo("{\"input_size\":{\"mechanism\":\"discrete_laplace\",\"epsilon\":1.0}}");
    }

    @Test
    void aNoisedEventIsSentDenseEvenWhenItWasNeverCounted() throws Exception {
        Recorder r = recorder();
        r.counter("error", "type", "java.lang.IllegalStateException").increment();
        r.flush();
        clock.set("2026-11-25T10:00:00Z");
        Map<String, Object> report = read(r.mergeClosedPeriods().get(0));
        assertThat(cells(report, "input_size")).hasSize(4);
        assertThat(new ArrayList<Object>(((Map<?, ?>) report.get("counts")).keySet())).containsExactly("error", "input_size");
    }

    @Test
    void reportsHaveExactlyTheKeysOfWireFormatV1() throws Exception {
        Recorder r = recorder();
        r.counter("command_run", "command", "convert", "success", "true", "duration", "1s-5s").increment();
        r.flush();
        clock.set("2026-11-25T10:00:00Z");
        Path file = r.mergeClosedPeriods().get(0);
        Map<String, Object> report = read(file);
        assertThat(report.keySet()).containsExactly("v", "report_id", "app", "app_version", "catalog_sha256", "period",
                "context", "noise", "counts");
        assertThat(report.get("v")).isEqualTo(1L);
        assertThat((String) report.get("report_id"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(report.get("app")).isEqualTo("acme");
        assertThat(report.get("app_version")).isEqualTo("2.0");
        assertThat(report.get("catalog_sha256")).isEqualTo(TestCatalogs.acme().sha256());
        assertThat(report.get("context")).isEqualTo(CONTEXT);
        assertThat(new ArrayList<Object>(((Map<?, ?>) report.get("context")).keySet())).containsExactlyElementsOf(CONTEXT.keySet());
        // The file holds compact JSON, exactly as it will be sent.
        String text = Files.readString(file);
        assertThat(text).isEqualTo(Json.write(Json.parse(text))).doesNotContain("\n");
    }

    @Test
    void lateCountsForAMergedPeriodAreDropped() throws Exception {
        Recorder early = recorder();
        early.counter("error", "type", "java.io.IOException").increment();
        early.flush();
        Recorder late = recorder(); // another process, still holding counts for the 24th
        late.counter("error", "type", "java.io.IOException").add(5);
        clock.set("2026-11-25T10:00:00Z");
        early.flush();
        assertThat(early.mergeClosedPeriods()).hasSize(1);
        late.flush(); // its counts for the 24th arrive after the merge
        assertThat(state.resolve("counts/2026-11-24")).doesNotExist();
        clock.set("2026-11-26T10:00:00Z");
        assertThat(late.mergeClosedPeriods()).isEmpty();
        assertThat(reports("outbox")).hasSize(1);
    }

    @Test
    void aLateFileWrittenAnywayIsRemovedAtTheNextMerge() throws Exception {
        Recorder r = recorder();
        r.counter("error", "type", "java.io.IOException").increment();
        r.flush();
        clock.set("2026-11-25T10:00:00Z");
        assertThat(r.mergeClosedPeriods()).hasSize(1);
        Path stray = state.resolve("counts/2026-11-24/999-abc.on.json");
        Files.createDirectories(stray.getParent());
        Files.write(stray, CounterFile.encode(TestCatalogs.acme(), "2026-11-24", Mode.ON, totals("error", 3,
                "java.io.IOException")));
        assertThat(r.mergeClosedPeriods()).isEmpty();
        assertThat(stray).doesNotExist();
        assertThat(reports("outbox")).hasSize(1);
    }

    @Test
    void aCorruptOrForeignCounterFileIsSkippedAndRemovedAndAnotherAppsIsLeftAlone() throws Exception {
        Recorder r = recorder();
        r.counter("error", "type", "java.io.IOException").add(2);
        r.flush();
        Path dir = state.resolve("counts/2026-11-24");
        Files.writeString(dir.resolve("1-bad.on.json"), "{\"v\":1,\"app\":\"acme\",\"counts\":");
        Files.writeString(dir.resolve("2-other.on.json"), "{\"v\":1,\"app\":\"zeta\",\"period\":\"2026-11-24\","
                + "\"mode\":\"on\",\"catalog_sha256\":\"x\",\"counts\":{}}");
        Files.write(dir.resolve("3-binary.on.json"), new byte[] {(byte) 0xFF, 0, 1, 2});
        Files.writeString(dir.resolve("notes.txt"), "hello");
        Files.createDirectory(dir.resolve("4-unreadable.on.json")); // reading it fails with an IOException
        // 4 GiB, sparse: reading it whole would take the merge thread's memory; it is skipped unread.
        try (java.io.RandomAccessFile huge = new java.io.RandomAccessFile(dir.resolve("5-huge.on.json").toFile(), "rw")) {
            huge.setLength(4L << 30);
        }
        clock.set("2026-11-25T10:00:00Z");
        List<Path> written = r.mergeClosedPeriods();
        assertThat(written).hasSize(1);
        assertThat(cells(read(written.get(0)), "error")).containsExactly(cell("type", "java.io.IOException", "n", 2L));
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("zeta's, for zeta's merge")
                    .containsExactly("2-other.on.json");
        }
        assertThat(Files.readString(state.resolve("merged/2026-11-24.on"))).isEqualTo("acme\n");
    }

    /**
     * Apps given the same folder share {@code merged/}: a marker closes a period for the apps it names, and, when it
     * names none (written by an SDK before markers named their apps), for every app.
     */
    @Test
    void aMergedMarkerClosesAPeriodForTheAppsItNamesOrForEveryAppWhenItNamesNone() throws Exception {
        Recorder r = recorder();
        r.counter("error", "type", "java.io.IOException").add(2);
        r.flush();
        Path marker = Files.createDirectories(state.resolve("merged")).resolve("2026-11-24.on");
        Files.writeString(marker, "zeta\n");
        clock.set("2026-11-25T10:00:00Z");
        assertThat(r.mergeClosedPeriods()).as("zeta's merge is not acme's").hasSize(1);
        assertThat(Files.readString(marker)).isEqualTo("zeta\nacme\n");

        r.counter("error", "type", "java.io.IOException").add(5);
        r.flush();
        Path legacy = state.resolve("merged/2026-11-25.on");
        Files.write(legacy, new byte[0]);
        clock.set("2026-11-26T10:00:00Z");
        assertThat(r.mergeClosedPeriods()).as("an empty marker closes the period for every app").isEmpty();
        assertThat(state.resolve("counts/2026-11-25")).doesNotExist();
        assertThat(legacy).isEmptyFile();
    }

    @Test
    void localModeKeepsReportsInLocalNeverInTheOutbox() throws Exception {
        Recorder local = recorder(TestCatalogs.acme(), Mode.LOCAL, 3);
        local.counter("error", "type", "java.io.IOException").increment();
        local.flush();
        assertThat(state.resolve("counts/2026-11-24")).isDirectoryContaining("glob:**.local.json");
        Recorder on = recorder(); // the user switched to on; the local counts are not sent
        on.counter("error", "type", "java.io.EOFException").increment();
        on.flush();
        clock.set("2026-11-25T10:00:00Z");
        assertThat(on.mergeClosedPeriods()).hasSize(2);
        assertThat(reports("local")).hasSize(1);
        assertThat(reports("outbox")).hasSize(1);
        assertThat(cells(read(reports("local").get(0)), "error"))
                .containsExactly(cell("type", "java.io.IOException", "n", 1L));
        assertThat(cells(read(reports("outbox").get(0)), "error"))
                .containsExactly(cell("type", "java.io.EOFException", "n", 1L));
        assertThat(state.resolve("merged/2026-11-24.local")).exists();
        assertThat(state.resolve("merged/2026-11-24.on")).exists();
    }

    /**
     * local/ is bounded as sent/ is: the merge keeps this app's last {@value ReportBuilder#LOCAL_KEPT} reports, the
     * oldest periods going first, and leaves another app's reports and every file that is not a report alone.
     */
    @Test
    void localKeepsThisAppsLastThirtyReportsAndLeavesOtherFilesAlone() throws Exception {
        assertThat(ReportBuilder.LOCAL_KEPT).as("the same cap as sent/")
                .isEqualTo(dev.candor.internal.upload.Outbox.SENT_KEPT);
        Path local = Files.createDirectories(state.resolve("local"));
        List<String> acme = new ArrayList<>();
        for (int day = 1; day <= 35; day++) { // 35 earlier reports, 2026-10-01 .. 2026-11-04, written out of order
            String period = String.format("2026-%02d-%02d", day <= 31 ? 10 : 11, day <= 31 ? day : day - 31);
            String name = period + "_" + String.format("00000000-0000-4000-8000-%012d", 36 - day) + ".json";
            Files.writeString(local.resolve(name), "{\"v\":1,\"report_id\":\"" + name.substring(11, 47)
                    + "\",\"app\":\"acme\",\"period\":\"" + period + "\",\"counts\":{}}");
            acme.add(name);
        }
        String zeta = "2026-01-01_00000000-0000-4000-8000-00000000aaaa.json";
        Files.writeString(local.resolve(zeta), "{\"v\":1,\"app\":\"zeta\",\"period\":\"2026-01-01\",\"counts\":{}}");
        String garbage = "2025-01-01_00000000-0000-4000-8000-00000000bbbb.json"; // a report's name, not a report
        Files.writeString(local.resolve(garbage), "not json");
        Files.writeString(local.resolve("notes.txt"), "the user's own notes");
        Files.writeString(state.resolve("outbox.json"), "{\"app\":\"acme\"}"); // outside local/: never touched

        Recorder r = recorder(TestCatalogs.acme(), Mode.LOCAL, 3);
        r.counter("error", "type", "java.io.IOException").increment();
        r.flush();
        clock.set("2026-11-25T10:00:00Z");
        List<Path> written = r.mergeClosedPeriods();
        assertThat(written).hasSize(1);
        acme.add(written.get(0).getFileName().toString());

        List<String> expected = new ArrayList<>(acme.subList(acme.size() - 30, acme.size()));
        expected.addAll(List.of(zeta, garbage, "notes.txt"));
        try (Stream<Path> left = Files.list(local)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("acme's 30 latest (2026-10-07 .. 2026-11-24), zeta's, and what is not a report")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(acme.get(acme.size() - 30)).startsWith("2026-10-07_");
        assertThat(state.resolve("outbox.json")).exists();

        // The next report makes 31: the oldest kept goes.
        r.flush(); // the background thread's flush once the period turned
        r.counter("error", "type", "java.io.IOException").increment();
        r.flush();
        clock.set("2026-11-26T10:00:00Z");
        assertThat(r.mergeClosedPeriods()).hasSize(1);
        try (Stream<Path> left = Files.list(local)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("2026-1"))).hasSize(30);
        }
        assertThat(local.resolve(acme.get(acme.size() - 30))).as("2026-10-07, the oldest kept").doesNotExist();
        assertThat(local.resolve(zeta)).exists();
        assertThat(local.resolve(garbage)).exists();
    }

    @Test
    void errorTypesAreReducedAndBoundedToTwentyPerPeriod() throws Exception {
        Recorder r = recorder();
        for (int i = 0; i < 25; i++) {
            r.counter("error", "type", "dev.candor.examples.acme.Failure" + (char) ('A' + i)).add(i + 1);
        }
        r.counter("error", "type", "org.thirdparty.SecretPluginException").add(3);
        r.errorCounter("error", new IllegalStateException("path /home/ann")).increment();
        r.error(new java.io.UncheckedIOException(new IOException()));
        r.flush();
        clock.set("2026-11-25T10:00:00Z");
        List<Map<String, Object>> errors = cells(read(r.mergeClosedPeriods().get(0)), "error");
        // This process kept the first 20 distinct types; the five later ones, the third-party one and the
        // two JDK ones seen after the limit count as "other": 21+22+23+24+25+3+1+1 = 120, clamped to 100.
        List<Map<String, Object>> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(cell("type", "dev.candor.examples.acme.Failure" + (char) ('A' + i), "n", (long) i + 1));
        }
        expected.add(cell("type", "other", "n", 100L));
        assertThat(errors).containsExactlyElementsOf(expected);
    }

    @Test
    void theMergeKeepsTheTwentyMostFrequentErrorTypesOfAllProcesses() throws Exception {
        // Two processes with 15 distinct types each, 30 in all: the merge keeps the 20 most frequent.
        CellTotals totals = new CellTotals();
        for (int i = 0; i < 30; i++) {
            totals.add("error", List.of("java.lang.E" + (100 + i)), i + 1);
        }
        Report report = ReportBuilder.build(TestCatalogs.unclamped(), "2026-11-24", totals, CONTEXT, "1.0", new Random(1));
        List<Map<String, Object>> errors = cells(Json.parse(report.jsonString()), "error");
        assertThat(errors).hasSize(21);
        assertThat(errors.get(20)).isEqualTo(cell("type", "other", "n", 55L)); // 1 + 2 + … + 10
        assertThat(errors.subList(0, 20)).extracting(c -> c.get("type"))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(10, 30).mapToObj(i -> "java.lang.E" + (100 + i))
                        .toList());
    }

    @Test
    void theDebugSinkSeesEachEventAndEachReportAsExactJson() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Recorder r = new Recorder(TestCatalogs.acme(), state, Mode.ON, clock, CONTEXT, "2.0", seen::add,
                3_600_000, 0, new Random(5));
        Counter c = r.counter("command_run", "success", "true", "command", "hash", "duration", "<100ms");
        c.increment();
        c.add(3);
        c.add(-2);
        assertThat(seen).containsExactly(
                "{\"event\":\"command_run\",\"command\":\"hash\",\"success\":true,\"duration\":\"<100ms\",\"n\":1}",
                "{\"event\":\"command_run\",\"command\":\"hash\",\"success\":true,\"duration\":\"<100ms\",\"n\":3}");
        r.flush();
        clock.set("2026-11-25T10:00:00Z");
        Path file = r.mergeClosedPeriods().get(0);
        assertThat(seen).hasSize(4);
        assertThat(seen.get(2)).isEqualTo(Files.readString(file));
        assertThat(seen.get(3)).as("what the noised counts are").startsWith("input_size has local noise");
    }

    @Test
    void runningTotalsShowTheOpenPeriodOfEveryProcess() throws Exception {
        Recorder a = recorder();
        Recorder b = recorder();
        a.counter("error", "type", "java.io.IOException").add(2);
        a.flush();
        a.counter("error", "type", "java.io.IOException").add(1); // not yet written: still shown
        b.counter("error", "type", "java.io.IOException").add(10);
        b.counter("command_run", "command", "count", "success", "true", "duration", "<100ms").add(250);
        b.flush();
        Map<?, ?> shown = (Map<?, ?>) Json.parse(a.runningTotals());
        assertThat(shown.get("period")).isEqualTo("2026-11-24");
        assertThat(shown.get("mode")).isEqualTo("on");
        assertThat(cells(shown, "error")).containsExactly(cell("type", "java.io.IOException", "n", 13L));
        assertThat(cells(shown, "command_run")).containsExactly(
                cell("command", "count", "success", true, "duration", "<100ms", "n", 250L));
        assertThat(a.runningTotals()).contains("\n  \"period\": \"2026-11-24\"");
    }

    @Test
    void offRecordsNothingAndWritesNothing() throws Exception {
        Recorder r = recorder(TestCatalogs.acme(), Mode.OFF, 1);
        r.start();
        Counter c = r.counter("error", "type", "java.io.IOException");
        assertThat(c).isSameAs(NoopCounter.INSTANCE);
        c.increment();
        r.flush();
        r.mergeClosedPeriods();
        r.close();
        try (Stream<Path> files = Files.list(state)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void badNamesGiveTheNoopCounterAndNeverThrow() {
        Recorder r = recorder();
        assertThat(r.counter("nope")).isSameAs(NoopCounter.INSTANCE);
        assertThat(r.counter(null)).isSameAs(NoopCounter.INSTANCE);
        assertThat(r.counter("error", (String[]) null)).isSameAs(NoopCounter.INSTANCE);
        assertThat(r.counter("error")).isSameAs(NoopCounter.INSTANCE);
        assertThat(r.counter("error", "type")).isSameAs(NoopCounter.INSTANCE);
        assertThat(r.counter("error", "kind", "java.io.IOException")).isSameAs(NoopCounter.INSTANCE);
        assertThat(r.counter("error", "type", null)).isSameAs(NoopCounter.INSTANCE);
        assertThat(r.counter("command_run", "command", "delete", "success", "true", "duration", "1s-5s"))
                .isSameAs(NoopCounter.INSTANCE);
        assertThat(r.counter("command_run", "command", "hash", "command", "hash", "duration", "1s-5s"))
                .isSameAs(NoopCounter.INSTANCE);
        assertThat(r.counter("command_run", "command", "hash", "success", "yes", "duration", "1s-5s"))
                .isSameAs(NoopCounter.INSTANCE);
        assertThat(r.errorCounter("command_run", new RuntimeException())).isSameAs(NoopCounter.INSTANCE);
        assertThat(r.errorCounter(null, null)).isSameAs(NoopCounter.INSTANCE);
        r.error(null);
    }

    @Test
    void resolvingTheSameCellTwiceGivesTheSameHandle() {
        Recorder r = recorder();
        Counter a = r.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s");
        Counter b = r.counter("command_run", "duration", "1s-5s", "command", "hash", "success", "true");
        assertThat(a).isSameAs(b).isInstanceOf(CellCounter.class);
        assertThat(r.counter("error", "type", "com.other.X")).isSameAs(r.counter("error", "type", "other"));
    }

    @Test
    void recordingOnAHandleAllocatesNothing() throws Exception {
        Recorder r = recorder();
        Counter c = r.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s");
        // Through reflection: the test is compiled into module dev.candor, which does not read jdk.management.
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        java.lang.reflect.Method allocatedBytes =
                Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        for (int i = 0; i < 100_000; i++) {
            c.increment();
            if (i % 1000 == 0) {
                allocatedBytes.invoke(threads);
            }
        }
        long before = (Long) allocatedBytes.invoke(threads);
        for (int i = 0; i < 1_000_000; i++) {
            c.increment();
            c.add(3);
        }
        long allocated = (Long) allocatedBytes.invoke(threads) - before;
        // One allocation per recording would be at least 16 bytes each, 32 MB in all; what remains is the
        // measuring itself and the JIT's bookkeeping, a few KB at most.
        assertThat(allocated).as("bytes allocated by 2,000,000 recordings").isLessThan(64 * 1024);
        r.flush();
        assertThat(r.runningTotals()).contains("\"n\": 4100000");
    }

    @Test
    void concurrentIncrementsAreAllCounted() throws Exception {
        Recorder r = recorder(TestCatalogs.unclamped(), Mode.ON, 1);
        Counter c = r.counter("command_run", "command", "hash", "success", "true", "duration", "1s-5s");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < 2000; i++) {
                    c.increment();
                    if (i % 500 == 0) {
                        r.flush();
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        r.flush();
        CellTotals file = CounterFile.read(Files.list(state.resolve("counts/2026-11-24")).findFirst().orElseThrow(),
                TestCatalogs.unclamped(), "2026-11-24", Mode.ON);
        assertThat(file.get("command_run", List.of("hash", "true", "1s-5s"))).isEqualTo(8000);
    }

    @Test
    void racingMergersInOneJvmProduceOneReport() throws Exception {
        Recorder writer = recorder();
        writer.counter("error", "type", "java.io.IOException").increment();
        writer.flush();
        clock.set("2026-11-25T10:00:00Z");
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Path>>> results = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            Recorder r = recorder(TestCatalogs.acme(), Mode.ON, i);
            results.add(pool.submit(() -> {
                go.await();
                return r.mergeClosedPeriods();
            }));
        }
        go.countDown();
        int reports = 0;
        for (Future<List<Path>> f : results) {
            reports += f.get().size();
        }
        pool.shutdown();
        assertThat(reports).isEqualTo(1);
        assertThat(reports("outbox")).hasSize(1);
    }

    @Test
    void aReportAlreadyInTheOutboxIsNotBuiltAgainAfterACrash() throws Exception {
        // As if a merge wrote the report and then died before its marker.
        Recorder r = recorder();
        r.counter("error", "type", "java.io.IOException").increment();
        r.flush();
        Files.createDirectories(state.resolve("outbox"));
        Files.writeString(state.resolve("outbox/2026-11-24_x.json"), "{}");
        clock.set("2026-11-25T10:00:00Z");
        assertThat(r.mergeClosedPeriods()).isEmpty();
        assertThat(state.resolve("merged/2026-11-24.on")).exists();
        assertThat(state.resolve("counts/2026-11-24")).doesNotExist();
    }

    @Test
    void weeklyPeriodsAreNamedByTheirMonday() throws Exception {
        clock.set("2026-11-26T10:00:00Z"); // a Thursday
        Recorder r = recorder(TestCatalogs.weekly(), Mode.ON, 1);
        r.counter("error", "type", "java.io.IOException").increment();
        r.flush();
        assertThat(state.resolve("counts/2026-11-23")).isDirectory();
        clock.set("2026-11-29T23:00:00Z"); // Sunday: same week
        assertThat(r.mergeClosedPeriods()).isEmpty();
        clock.set("2026-11-30T00:00:00Z");
        r.flush();
        Map<String, Object> report = read(r.mergeClosedPeriods().get(0));
        assertThat(report.get("period")).isEqualTo("2026-11-23");
    }

    @Test
    void openStartsOneNamedDaemonThreadThatMergesAtStartAndCloseWritesTheCounts() throws Exception {
        // A previous run left counts for yesterday.
        Recorder previous = recorder();
        previous.counter("error", "type", "java.io.IOException").increment();
        previous.flush();
        clock.set("2026-11-25T10:00:00Z");
        Recorder r = Recorder.open(TestCatalogs.acme(), state, Mode.ON, clock, CONTEXT, "2.0", null, null);
        Thread thread = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("candor-recorder-acme")).findFirst().orElseThrow();
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getContextClassLoader()).isNull();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (reports("outbox").isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(reports("outbox")).hasSize(1);
        r.counter("error", "type", "java.io.IOException").add(2);
        r.close();
        thread.join(2000);
        assertThat(thread.isAlive()).isFalse();
        Path today = state.resolve("counts/2026-11-25");
        try (Stream<Path> files = Files.list(today)) {
            List<Path> list = files.toList();
            assertThat(list).hasSize(1);
            assertThat(CounterFile.read(list.get(0), TestCatalogs.acme(), "2026-11-25", Mode.ON)
                    .get("error", List.of("java.io.IOException"))).isEqualTo(2);
        }
    }

    // ---- helpers ----

    static Map<String, Object> context() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("os", "linux");
        c.put("arch", "x64");
        c.put("runtime", "java_17");
        c.put("memory_tier", "high");
        c.put("install_method", "maven");
        c.put("ci", false);
        return c;
    }

    static CellTotals totals(String event, long n, String... cell) {
        CellTotals t = new CellTotals();
        t.add(event, List.of(cell), n);
        return t;
    }

    List<Path> reports(String dir) throws IOException {
        Path d = state.resolve(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path report) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readAllBytes(report));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cells(Object report, String event) {
        Map<String, Object> counts = (Map<String, Object>) ((Map<String, Object>) report).get("counts");
        Object cells = counts.get(event);
        return cells == null ? List.of() : (List<Map<String, Object>>) cells;
    }

    static Map<String, Object> cell(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
