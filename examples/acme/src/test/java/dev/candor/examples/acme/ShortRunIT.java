package dev.candor.examples.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ordinary run of acme (telemetry on, the catalog the user agreed to, nothing waiting to be merged or
 * sent) ends before its recorder is made: it loads neither the catalog's parser nor the recorder, writes
 * what it counted by name, and those counts are exactly what a later run shows and reports.
 */
class ShortRunIT {
    @TempDir
    Path root;

    @Test
    void anOrdinaryRunSkipsTheParseAndItsCountsStillAddUp() throws Exception {
        Machine m = new Machine(root).env("ACME_TELEMETRY", "1");
        Files.writeString(root.resolve("in.csv"), "name,size\na,1\n");
        assertThat(m.acme("count", "in.csv").exit).isZero(); // records the agreed catalog: later runs are ordinary
        assertThat(m.stateDir().resolve("agreed-catalog.json")).exists();

        m.jvmOptions.add("-Xlog:class+load=info:file=" + root.resolve("classes.log"));
        Machine.Run run = m.acme("count", "in.csv");
        m.jvmOptions.clear();
        assertThat(run.exit).as("%s", run).isZero();
        String loaded = Files.readString(root.resolve("classes.log"));
        assertThat(loaded).contains("dev.candor.Telemetry ", "dev.candor.internal.record.ShortRunCounts ")
                .doesNotContain("dev.candor.internal.catalog.CatalogParser ", "dev.candor.internal.json.Json ",
                        "dev.candor.internal.record.Recorder ", "dev.candor.internal.upload.");

        List<String> files = counterFiles(m.stateDir().resolve("counts"));
        assertThat(files).hasSize(2);
        assertThat(files).anySatisfy(text -> assertThat(text)
                .contains("{\"cell\":{\"command\":\"count\",\"success\":\"true\",\"*duration\":\"<100ms\"},\"n\":1}")
                .contains("\"input_size\":[{\"cell\":{\"size\":\"<1KB\"},\"n\":1}]")
                .doesNotContain("catalog_sha256", "in.csv", root.toString()));

        Machine.Run show = m.acme("telemetry", "show");
        assertThat(show.out).as("%s", show).containsPattern(
                "\"command\": \"count\",\\s*\"success\": true,\\s*\"duration\": \"<100ms\",\\s*\"n\": 2");
    }

    private static List<String> counterFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
    }
}
