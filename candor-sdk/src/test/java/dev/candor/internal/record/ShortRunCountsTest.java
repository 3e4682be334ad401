package dev.candor.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.EventSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that ends before its recorder exists writes its counts by name ({@link ShortRunCounts}); whoever
 * reads counter files later gets exactly what a recorder would have written, and nothing reaches the disk
 * that the catalog file does not hold.
 */
class ShortRunCountsTest {
    private static final long NOON = Instant.parse("2026-11-24T12:00:00Z").toEpochMilli();

    @TempDir
    Path state;

    static byte[] acmeBytes() {
        try (InputStream in = ShortRunCountsTest.class.getResourceAsStream("acme-catalog.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every cell of acme's events without an error type, in the catalog's field order. */
    private static List<String[]> closedCells(EventSpec spec) {
        List<String[]> cells = new ArrayList<>();
        for (int i = 0; i < spec.closedCellCount(); i++) {
            cells.add(spec.cellValues(i));
        }
        return cells;
    }

    @Property(tries = 60)
    void whatAShortRunWritesReadsBackAsTheCountsItWasGiven(@ForAll @IntRange(min = 1, max = 12) int asks,
                                                           @ForAll long seed) throws Exception {
        Path dir = Files.createTempDirectory("short-run");
        try {
            Catalog acme = TestCatalogs.acme();
            Random random = new Random(seed);
            PendingCounters pending = new PendingCounters();
            CellTotals expected = new CellTotals();
            for (int i = 0; i < asks; i++) {
                EventSpec spec = random.nextBoolean() ? acme.event("command_run") : acme.event("input_size");
                List<String[]> cells = closedCells(spec);
                String[] values = cells.get(random.nextInt(cells.size()));
                List<Integer> order = new ArrayList<>();
                for (int f = 0; f < values.length; f++) {
                    order.add(f);
                }
                Collections.shuffle(order, random); // the app names the fields in any order
                String[] pairs = new String[2 * values.length];
                for (int k = 0; k < order.size(); k++) {
                    int f = order.get(k);
                    boolean timing = spec.fields().get(f).name().equals("duration") && random.nextBoolean();
                    pairs[2 * k] = timing ? PendingCounters.DURATION_FIELD : spec.fields().get(f).name();
                    pairs[2 * k + 1] = values[f];
                }
                long n = random.nextInt(5);
                pending.counter(spec.name(), pairs).add(n);
                expected.add(spec.name(), Arrays.asList(values), n);
            }
            assertThat(pending.writeShortRun(dir.toFile(), "acme", Catalog.Period.DAY, Mode.ON, NOON, acmeBytes())).isTrue();
            List<Path> files = files(dir.resolve("counts"));
            if (expected.isEmpty()) {
                assertThat(files).isEmpty();
                return;
            }
            assertThat(files).hasSize(1);
            assertThat(files.get(0).getParent().getFileName().toString()).isEqualTo("2026-11-24");
            assertThat(files.get(0).getFileName().toString()).endsWith(".on.json");
            CellTotals read = CounterFile.read(files.get(0), acme, "2026-11-24", Mode.ON);
            assertThat(read.asMap()).isEqualTo(expected.asMap());
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aCellNamingWhatTheCatalogFileDoesNotHoldWritesNothingAndSaysSo() throws IOException {
        PendingCounters pending = new PendingCounters();
        pending.counter("command_run", new String[] {"command", "convert", "success", "true", "duration", "<100ms"}).increment();
        pending.counter("command_run", new String[] {"command", "/home/alice/secret.txt", "success", "true",
            "duration", "<100ms"}).increment();
        assertThat(pending.writeShortRun(state.toFile(), "acme", Catalog.Period.DAY, Mode.ON, NOON, acmeBytes())).isFalse();
        assertThat(state.resolve("counts")).doesNotExist();
        // nothing was forgotten either: the caller takes the long way with the same handles
        Recorder r = new Recorder(TestCatalogs.acme(), state, Mode.ON, new TestClock("2026-11-24T12:00:00Z"),
                RecorderTest.CONTEXT, "2.0.1", null, 3_600_000, 0, new Random(1));
        pending.adoptInto(r);
        r.flush();
        String written = String.join("\n", contents(state.resolve("counts")));
        assertThat(written).contains("[\"convert\",\"true\",\"<100ms\"],\"n\":1").doesNotContain("alice");
    }

    @Test
    void anEventOrFieldTheCatalogFileDoesNotHoldIsRefusedToo() {
        for (String[] ask : List.of(new String[] {"alice_event", "command", "convert"},
                new String[] {"command_run", "user", "convert", "success", "true", "duration", "<100ms"},
                new String[] {"command_run", PendingCounters.DURATION_FIELD, "17ms"})) {
            PendingCounters pending = new PendingCounters();
            pending.counter(ask[0], Arrays.copyOfRange(ask, 1, ask.length)).increment();
            assertThat(pending.writeShortRun(state.toFile(), "acme", Catalog.Period.DAY, Mode.ON, NOON, acmeBytes()))
                    .as(String.join(" ", ask)).isFalse();
        }
        assertThat(state.resolve("counts")).doesNotExist();
    }

    @Test
    void aNullEventNameOrValueIsRefusedNotThrown() {
        for (String[] ask : java.util.Arrays.asList(new String[] {null, "command", "convert"},
                new String[] {"command_run", "command", null, "success", "true", "duration", "<100ms"},
                new String[] {"command_run", null, "convert", "success", "true", "duration", "<100ms"})) {
            PendingCounters pending = new PendingCounters();
            pending.counter(ask[0], Arrays.copyOfRange(ask, 1, ask.length)).increment();
            assertThat(pending.writeShortRun(state.toFile(), "acme", Catalog.Period.DAY, Mode.ON, NOON, acmeBytes()))
                    .as(Arrays.toString(ask)).isFalse();
        }
        assertThat(state.resolve("counts")).doesNotExist();
    }

    @Test
    void aStringIsFoundInTheCatalogOnlyAsAWholeJsonString() {
        byte[] catalog = "{\"a\": \"convert-all\", \"b\": \"say \\\"hi\\\"\"}".getBytes(StandardCharsets.UTF_8);
        PendingCounters part = new PendingCounters();
        part.counter("a", new String[] {"b", "convert"}).increment(); // only part of "convert-all"
        assertThat(part.writeShortRun(state.toFile(), "acme", Catalog.Period.DAY, Mode.ON, NOON, catalog)).isFalse();
        PendingCounters escaped = new PendingCounters();
        escaped.counter("a", new String[] {"b", "say \"hi\""}).increment();
        assertThat(escaped.writeShortRun(state.toFile(), "acme", Catalog.Period.DAY, Mode.ON, NOON, catalog)).isTrue();
    }

    @Test
    void countsForAPeriodAlreadyMergedAreDroppedAsTheRecorderDropsThem() throws IOException {
        Files.createDirectories(state.resolve("merged"));
        Files.write(state.resolve("merged/2026-11-24.on"), new byte[0]);
        PendingCounters pending = new PendingCounters();
        pending.counter("command_run", new String[] {"command", "convert", "success", "true", "duration", "<100ms"}).increment();
        assertThat(pending.writeShortRun(state.toFile(), "acme", Catalog.Period.DAY, Mode.ON, NOON, acmeBytes())).isTrue();
        assertThat(state.resolve("counts")).doesNotExist();
    }

    @Test
    void aWeeklyCatalogsShortRunGoesToItsWeek() throws IOException {
        PendingCounters pending = new PendingCounters();
        pending.counter("command_run", new String[] {"command", "convert", "success", "true", "duration", "<100ms"}).add(2);
        assertThat(pending.writeShortRun(state.toFile(), "acme", Catalog.Period.WEEK, Mode.LOCAL, NOON, acmeBytes())).isTrue();
        List<Path> files = files(state.resolve("counts"));
        assertThat(files).hasSize(1);
        assertThat(files.get(0).toString()).contains("2026-11-23").endsWith(".local.json"); // the Monday
    }

    @Test
    void aMergeTurnsShortRunFilesIntoTheReportLikeAnyCounterFile() throws IOException {
        for (int run = 0; run < 3; run++) {
            PendingCounters pending = new PendingCounters();
            pending.counter("command_run", new String[] {"duration", "1s-5s", "command", "hash", "success", "false"}).increment();
            assertThat(pending.writeShortRun(state.toFile(), "acme", Catalog.Period.DAY, Mode.ON, NOON, acmeBytes())).isTrue();
        }
        Recorder r = new Recorder(TestCatalogs.acme(), state, Mode.ON, new TestClock("2026-11-26T12:00:00Z"),
                RecorderTest.CONTEXT, "2.0.1", null, 3_600_000, 0, new Random(1));
        List<Path> reports = r.mergeClosedPeriods();
        assertThat(reports).hasSize(1);
        String report = Files.readString(reports.get(0));
        assertThat(report).contains("\"command\":\"hash\"").contains("\"n\":3");
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    private static List<String> contents(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : files(dir)) {
            out.add(Files.readString(f));
        }
        return out;
    }
}
