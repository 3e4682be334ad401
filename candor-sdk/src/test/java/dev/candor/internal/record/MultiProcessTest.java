package dev.candor.internal.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.Mode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many processes of one app at once, as real JVMs: their counts add up exactly, and one merge wins. */
class MultiProcessTest {
    static final String DAY = "2026-11-24T15:00:00Z";
    static final String NEXT_DAY = "2026-11-25T15:00:00Z";

    @TempDir
    Path dir;

    @Test
    void eightProcessesTimesAThousandIncrementsAddUpExactly() throws Exception {
        Path state = dir.resolve("state");
        Path go = dir.resolve("go");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            processes.add(spawn(CountingProcess.class, state.toString(), "acme-catalog-unclamped.json", DAY,
                    go.toString(), "1000"));
        }
        Files.createFile(go);
        for (Process p : processes) {
            assertFinished(p, "done");
        }
        // Before the merge: eight files whose sum is exact, noised event included (noise comes later).
        CellTotals sum = new CellTotals();
        try (Stream<Path> files = Files.list(state.resolve("counts/2026-11-24"))) {
            List<Path> list = files.toList();
            assertThat(list).hasSize(8);
            for (Path f : list) {
                sum.addAll(CounterFile.read(f, TestCatalogs.unclamped(), "2026-11-24", Mode.ON));
            }
        }
        assertThat(sum.get("command_run", List.of("count", "true", "<100ms"))).isEqualTo(8000);
        assertThat(sum.get("input_size", List.of("1KB-1MB"))).isEqualTo(8000);

        Recorder merger = new Recorder(TestCatalogs.unclamped(), state, Mode.ON, new TestClock(NEXT_DAY),
                RecorderTest.CONTEXT, "2.0", null, 3_600_000, 0, new Random(1));
        List<Path> reports = merger.mergeClosedPeriods();
        assertThat(reports).hasSize(1);
        Map<String, Object> report = RecorderTest.read(reports.get(0));
        assertThat(RecorderTest.cells(report, "command_run")).containsExactly(
                RecorderTest.cell("command", "count", "success", true, "duration", "<100ms", "n", 8000L));
    }

    @Test
    void racingMergerProcessesProduceExactlyOneReport() throws Exception {
        Path state = dir.resolve("state");
        Recorder writer = new Recorder(TestCatalogs.acme(), state, Mode.ON, new TestClock(DAY), RecorderTest.CONTEXT,
                "2.0", null, 3_600_000, 0, new Random(1));
        writer.counter("error", "type", "java.io.IOException").add(3);
        writer.flush();
        Path go = dir.resolve("go");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            processes.add(spawn(MergingProcess.class, state.toString(), "acme-catalog.json", NEXT_DAY, go.toString()));
        }
        Files.createFile(go);
        int written = 0;
        for (Process p : processes) {
            String out = assertFinished(p, "reports=");
            written += Integer.parseInt(out.substring(out.indexOf("reports=") + 8).trim());
        }
        assertThat(written).isEqualTo(1);
        try (Stream<Path> files = Files.list(state.resolve("outbox"))) {
            assertThat(files.toList()).hasSize(1);
        }
        assertThat(state.resolve("counts/2026-11-24")).doesNotExist();
    }

    static Process spawn(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:+UseSerialGC");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static String assertFinished(Process p, String expected) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains(expected);
        return out;
    }
}
