package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.ServeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data folder as an operator can mistreat it, with the packaged collector in processes of its own: a
 * second collector started on a folder that one already runs on.
 */
class DataFolderIT {
    static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir Path dir;

    private record Run(int exit, String out, String err) {
    }

    /** {@code java -jar candor.jar ARGS} to its end. */
    private Run candor(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", ServeProcess.JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("candor " + String.join(" ", args) + " did not end within 60 s:\n"
                    + Files.readString(out) + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static HttpResponse<String> post(ServeProcess collector, byte[] body) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(collector.baseUrl() + "/v1/reports"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A second {@code candor serve} on a folder a running one holds refuses to start, names the folder and the
     * holder, and changes nothing; the offline commands still run beside the collector (SQLite serialises their
     * writes); and once the holder is killed (SIGKILL: no shutdown hook runs), the OS has dropped its lock and a
     * new collector starts on the folder.
     */
    @Test
    void aSecondCollectorOnTheSameFolderIsRefusedUntilTheFirstIsGone() throws Exception {
        Path data = dir.resolve("data");
        Path folder = data.toAbsolutePath().normalize();
        try (ServeProcess first = ServeProcess.start(data, dir.resolve("logs"))) {
            assertThat(post(first, AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);

            Run second = candor("serve", "--host", "127.0.0.1", "--port", "0", "--data", data.toString(),
                    "--catalog", AcmeReports.CATALOG.toString());
            assertThat(second.exit()).as(second.err()).isEqualTo(1);
            assertThat(second.out()).doesNotContain("listening");
            assertThat(second.err()).isEqualTo("candor serve: another collector (process " + first.pid() + ") is running "
                    + "on the data folder " + folder + ": it holds the lock on candor.lock there, and one folder takes "
                    + "one collector; stop that one first, or give this one a --data folder of its own (several "
                    + "collectors share one PostgreSQL database with --db)\n");

            // the first one is unharmed, and an offline command that writes runs beside it
            assertThat(post(first, AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);
            Run rollup = candor("rollup", "--data", data.toString());
            assertThat(rollup.exit()).as(rollup.err()).isZero();
            assertThat(candor("stats", "acme", "--data", data.toString(), "--exact").exit()).isZero();

            first.kill();
        }
        try (ServeProcess next = ServeProcess.start(data, dir.resolve("logs"))) {
            assertThat(post(next, AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);
        }
    }
}
