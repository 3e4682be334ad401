package dev.candor.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Counter;
import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.EventSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Drives a recorder through random sequences of recording, clock jumps, flushes and merges, and
 * compares every report with a model of the promises: counts go to the period open at the last
 * flush, each period with counts yields exactly one report, the open period never does, and
 * counts that arrive after their period was merged are dropped.
 */
class RecorderModelTest {
    interface Op {
    }

    record Count(int cell, int n) implements Op {
    }

    record Advance(int hours) implements Op {
    }

    record Flush() implements Op {
    }

    record Merge() implements Op {
    }

    @Property(tries = 60)
    void reportsMatchTheModel(@ForAll("operations") @Size(max = 40) List<Op> ops) throws IOException {
        Catalog catalog = TestCatalogs.unclamped();
        EventSpec run = catalog.event("command_run");
        Path state = Files.createTempDirectory("candor-model");
        try {
            TestClock clock = new TestClock("2026-11-24T20:00:00Z");
            Recorder r = new Recorder(catalog, state, Mode.ON, clock, RecorderTest.CONTEXT, "2.0", null,
                    3_600_000, 0, new Random(1));
            Map<String, Map<Integer, Long>> flushed = new TreeMap<>();
            Map<Integer, Long> unflushed = new HashMap<>();
            Set<String> merged = new HashSet<>();
            Map<String, Map<Integer, Long>> expectedReports = new TreeMap<>();
            String[] open = {period(catalog, clock.instant())};

            Runnable flush = () -> {
                if (!unflushed.isEmpty() && !merged.contains(open[0])) {
                    Map<Integer, Long> into = flushed.computeIfAbsent(open[0], p -> new TreeMap<>());
                    unflushed.forEach((cell, n) -> into.merge(cell, n, Long::sum));
                }
                unflushed.clear();
                open[0] = period(catalog, clock.instant());
                r.flush();
            };
            Runnable merge = () -> {
                for (Map.Entry<String, Map<Integer, Long>> e : flushed.entrySet()) {
                    String p = e.getKey();
                    if (!merged.contains(p) && !catalog.period().end(p).isAfter(clock.instant())) {
                        merged.add(p);
                        expectedReports.put(p, e.getValue());
                    }
                }
                r.mergeClosedPeriods();
            };
            for (Op op : ops) {
                if (op instanceof Count c) {
                    Counter counter = r.counter("command_run", pairs(run, c.cell()));
                    counter.add(c.n());
                    unflushed.merge(c.cell(), (long) c.n(), Long::sum);
                } else if (op instanceof Advance a) {
                    clock.advance(Duration.ofHours(a.hours()));
                } else if (op instanceof Flush) {
                    flush.run();
                } else {
                    merge.run();
                }
            }
            String lastOpen = period(catalog, clock.instant());
            // The open period is never merged, whatever happened before.
            merge.run();
            assertThat(reports(state).keySet()).doesNotContain(lastOpen);
            // Then time moves on, the last counts are written and everything is merged.
            clock.advance(Duration.ofDays(3));
            flush.run();
            merge.run();
            Map<String, Map<Integer, Long>> actual = reports(state);
            Map<String, Map<Integer, Long>> expected = new TreeMap<>();
            expectedReports.forEach((p, cells) -> {
                if (cells.values().stream().anyMatch(n -> n > 0)) {
                    expected.put(p, cells);
                }
            });
            assertThat(actual).isEqualTo(expected);
        } finally {
            try (Stream<Path> walk = Files.walk(state)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static String period(Catalog catalog, Instant now) {
        return catalog.period().idOf(now);
    }

    static String[] pairs(EventSpec event, int cell) {
        String[] values = event.cellValues(cell);
        String[] pairs = new String[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            pairs[2 * i] = event.fields().get(i).name();
            pairs[2 * i + 1] = values[i];
        }
        return pairs;
    }

    /** period → (cell index → n) of every report in the outbox, failing on a second report for a period. */
    static Map<String, Map<Integer, Long>> reports(Path state) throws IOException {
        Map<String, Map<Integer, Long>> out = new TreeMap<>();
        Path outbox = state.resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return out;
        }
        EventSpec run = TestCatalogs.unclamped().event("command_run");
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path f : files.toList()) {
                Map<String, Object> report = RecorderTest.read(f);
                String period = (String) report.get("period");
                assertThat(out).as("one report per period").doesNotContainKey(period);
                Map<Integer, Long> cells = new TreeMap<>();
                for (Map<String, Object> c : RecorderTest.cells(report, "command_run")) {
                    int index = run.cellIndex((String) c.get("command"), String.valueOf(c.get("success")),
                            (String) c.get("duration"));
                    cells.put(index, (Long) c.get("n"));
                }
                out.put(period, cells);
            }
        }
        return out;
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> count = Arbitraries.integers().between(0, 29).flatMap(cell ->
                Arbitraries.integers().between(1, 50).map(n -> (Op) new Count(cell, n)));
        Arbitrary<Op> advance = Arbitraries.integers().between(1, 30).map(h -> (Op) new Advance(h));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, count),
                net.jqwik.api.Tuple.of(2, advance),
                net.jqwik.api.Tuple.of(2, Arbitraries.just((Op) new Flush())),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new Merge()))).list();
    }
}
