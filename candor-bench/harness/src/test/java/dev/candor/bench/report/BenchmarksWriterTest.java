package dev.candor.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarksWriterTest {
    private static final String BLOCK = BenchmarksWriter.BEGIN + "\nnew tables\n" + BenchmarksWriter.END;

    @Test
    void anEmptyFileGetsATitleAndTheBlock() {
        assertThat(BenchmarksWriter.merge("", BLOCK)).isEqualTo("# Benchmarks\n\n" + BLOCK + "\n");
    }

    @Test
    void notesOthersWroteAreKeptAndTheBlockIsAddedAfterThem() {
        String notes = "# Benchmarks\n\n## Ingest note\n\nGroup commit doubles throughput.\n";
        assertThat(BenchmarksWriter.merge(notes, BLOCK))
                .startsWith(notes.stripTrailing())
                .endsWith(BLOCK + "\n");
    }

    @Test
    void aSecondRunReplacesOnlyItsOwnBlock() {
        String before = "# Benchmarks\n\nintro\n\n" + BenchmarksWriter.BEGIN + "\nold tables\n" + BenchmarksWriter.END + "\n\n## Notes after\n";
        String after = BenchmarksWriter.merge(before, BLOCK);
        assertThat(after).isEqualTo("# Benchmarks\n\nintro\n\n" + BLOCK + "\n\n## Notes after\n");
        assertThat(after).doesNotContain("old tables");
    }

    @Test
    void eachLoadedClassIsFiledByWhereTheJvmGotIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("candor-classes.log");
        Files.writeString(log, String.join("\n",
                "[0.008s][info][class,load] java.lang.Object source: shared objects file",
                "[0.051s][info][class,load] java.time.Instant source: jrt:/java.base",
                "[0.090s][info][class,load] dev.candor.Telemetry source: file:/repo/candor-sdk/target/candor-sdk.jar",
                "[0.091s][info][class,load] java.lang.invoke.LambdaForm$MH/0x0000000800c01000 source: __JVM_LookupDefineClass__",
                "[0.092s][info][class,load] dev.candor.internal.record.Recorder$$Lambda$14/0x0000000800c0a000 source: dev.candor.internal.record.Recorder",
                "[0.093s][info][gc] not a class line", ""));
        assertThat(BenchmarksWriter.classSources(log)).containsExactly(
                org.assertj.core.api.Assertions.entry("java.lang.Object", "CDS archive"),
                org.assertj.core.api.Assertions.entry("java.time.Instant", "JDK modules"),
                org.assertj.core.api.Assertions.entry("dev.candor.Telemetry", "jars"),
                org.assertj.core.api.Assertions.entry("java.lang.invoke.LambdaForm$MH/0x0000000800c01000", "generated"),
                org.assertj.core.api.Assertions.entry("dev.candor.internal.record.Recorder$$Lambda$14/0x0000000800c0a000", "generated"));
    }

    @Test
    void generatedClassesAreMatchedWithoutTheirAddressAndTheAppsOwnClassIsNotTheLibrarys(@TempDir Path dir) throws Exception {
        Path base = dir.resolve("plain-classes.log");
        Files.writeString(base, String.join("\n",
                "[0.008s][info][class,load] java.lang.Object source: shared objects file",
                "[0.040s][info][class,load] dev.candor.bench.apps.PlainApp source: file:/repo/plain.jar",
                "[0.091s][info][class,load] java.lang.invoke.LambdaForm$MH/0x00007f7cd4002000 source: __JVM_LookupDefineClass__",
                "[0.092s][info][class,load] java.lang.invoke.LambdaForm$MH/0x00007f7cd4002400 source: __JVM_LookupDefineClass__", ""));
        Path candor = dir.resolve("candor-classes.log");
        Files.writeString(candor, String.join("\n",
                "[0.008s][info][class,load] java.lang.Object source: shared objects file",
                "[0.040s][info][class,load] dev.candor.bench.apps.CandorApp source: file:/repo/candor-app.jar",
                "[0.050s][info][class,load] dev.candor.Telemetry source: file:/repo/candor-sdk.jar",
                "[0.051s][info][class,load] java.nio.file.InvalidPathException source: jrt:/java.base",
                "[0.091s][info][class,load] java.lang.invoke.LambdaForm$MH/0x00007f712c004000 source: __JVM_LookupDefineClass__",
                "[0.092s][info][class,load] java.lang.invoke.LambdaForm$MH/0x00007f712c004400 source: __JVM_LookupDefineClass__",
                "[0.093s][info][class,load] java.lang.invoke.LambdaForm$MH/0x00007f712c004800 source: __JVM_LookupDefineClass__", ""));
        // two of the three forms are the baseline's too (their addresses differ in every run); the third is beyond it
        assertThat(BenchmarksWriter.classesBeyond(base, candor)).containsExactly(
                org.assertj.core.api.Assertions.entry("dev.candor.Telemetry", "jars"),
                org.assertj.core.api.Assertions.entry("java.nio.file.InvalidPathException", "JDK modules"),
                org.assertj.core.api.Assertions.entry("java.lang.invoke.LambdaForm$MH/0x00007f712c004800", "generated"));
    }

    @Test
    void theHotPathIsMetOnlyWhenEveryTargetIsMetAtBothThreadCounts(@TempDir Path results) throws Exception {
        writeJmh(results, 1, 4.0, 3.0, 12.0, 0.0);
        writeJmh(results, 2, 4.0, 3.0, 20.0, 0.0);
        assertThat(BenchmarksWriter.hotPathMet(results)).isTrue();
        writeJmh(results, 2, 4.6, 3.0, 20.0, 0.0); // 1.53× LongAdder
        assertThat(BenchmarksWriter.hotPathMet(results)).isFalse();
        writeJmh(results, 2, 4.0, 3.0, 20.0, 16.0); // allocates
        assertThat(BenchmarksWriter.hotPathMet(results)).isFalse();
        Files.delete(results.resolve("jmh-counters-2.json")); // not measured
        assertThat(BenchmarksWriter.hotPathMet(results)).isFalse();
    }

    @Test
    void aRunOnASubstituteJarSaysSoAboveEveryTable(@TempDir Path results) throws Exception {
        Files.writeString(results.resolve("run.properties"), "command=candor-bench/run --startup\n");
        assertThat(new BenchmarksWriter(results, results).block()).doesNotContain("Not the SDK's own build");

        Files.writeString(results.resolve("run.properties"), "command=CANDOR_BENCH_SDK_JAR=/tmp/x/floor.jar candor-bench/run"
                + " --startup\nsdk_jar=/tmp/x/floor.jar\n");
        String block = new BenchmarksWriter(results, results).block();
        assertThat(block).contains("**Not the SDK's own build:** the rows and targets named Candor below are those of"
                + " `floor.jar`");
        assertThat(block.indexOf("Not the SDK's own build")).isLessThan(block.indexOf("### Targets"));
    }

    private static void writeJmh(Path results, int threads, double candor, double longAdder, double otel, double candorBytes)
            throws Exception {
        String template = "{\"benchmark\":\"dev.candor.bench.hotpath.HotPathBenchmark.%s\",\"primaryMetric\":{\"score\":%s,"
                + "\"scoreError\":0.1},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":{\"score\":%s}}}";
        Files.writeString(results.resolve("jmh-counters-" + threads + ".json"), "[" + String.join(",",
                String.format(java.util.Locale.ROOT, template, "candor", candor, candorBytes),
                String.format(java.util.Locale.ROOT, template, "longAdder", longAdder, 0.0),
                String.format(java.util.Locale.ROOT, template, "openTelemetry", otel, 0.0)) + "]");
    }
}
