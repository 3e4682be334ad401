package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.ServeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code candor serve --demo} as a visitor runs it: its temporary data goes when the collector stops. */
class DemoProcessIT {

    @TempDir Path tmp;
    @TempDir Path logs;

    @Test
    void theDemosTemporaryFolderIsDeletedWhenTheCollectorStops() throws Exception {
        Path out = logs.resolve("demo.out");
        Process serve = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Djava.io.tmpdir=" + tmp, "-jar", ServeProcess.JAR.toString(), "serve", "--demo",
                "--demo-installs", "200", "--demo-days", "2", "--host", "127.0.0.1", "--port", "0",
                "--catalog", AcmeReports.CATALOG.toString()))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!Files.readString(out).contains("demo: simulated") && serve.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(Files.readString(out)).contains("demo: simulated");
            try (Stream<Path> during = Files.list(tmp)) {
                assertThat(during.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("candor-demo-"));
            }
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            serve.destroyForcibly();
        }
        try (Stream<Path> after = Files.list(tmp)) {
            assertThat(after.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("candor-demo-"));
        }
        assertThat(Files.readString(out)).contains("the demo's temporary data in").contains("is deleted");
    }
}
