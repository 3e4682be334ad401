package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data folder as an operator can mistreat it, with the packaged collector in processes of its own: a
 * second collector started on a folder that one already runs on, and the folder deleted under a running one.
 */
class DataFolderIT {
    static final ObjectMapper MAPPER = new ObjectMapper();
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

    /**
     * The data folder deleted while the collector runs: SQLite would go on committing into files that no longer have
     * a name, and every report answered 202 would be lost. The collector answers 503 instead (so senders keep their
     * reports and send them again), says why once in its log without anything of the requests, and /healthz says
     * storage is failing.
     */
    @Test
    void aDeletedDataFolderIsAnswered503NotAcceptedIntoNowhere() throws Exception {
        Path data = dir.resolve("data");
        Path folder = data.toAbsolutePath().normalize();
        try (ServeProcess collector = ServeProcess.start(data, dir.resolve("logs"))) {
            assertThat(post(collector, AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);

            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> refused = post(collector, AcmeReports.bytes(AcmeReports.batch(AcmeReports.valid(),
                        AcmeReports.valid())));
                assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
                JsonNode problem = MAPPER.readTree(refused.body());
                assertThat(problem.path("detail").asText()).isEqualTo("the collector's database file was deleted or "
                        + "replaced while it runs, so nothing can be stored until the collector is restarted; nothing of "
                        + "this request was stored, send it again later");
            }
            HttpResponse<String> health = CLIENT.send(HttpRequest.newBuilder(URI.create(collector.baseUrl() + "/healthz"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);

            String log = collector.output();
            String said = "the data folder " + folder + " was deleted while the collector runs, candor.db with it.";
            assertThat(log.split(java.util.regex.Pattern.quote(said), -1)).as(log).hasSize(2);
            assertThat(log).contains("every report is refused with 503").doesNotContain("Exception");
            assertThat(log.lines().filter(line -> line.contains("127.0.0.1")))
                    .as("no line but the one that says where the collector listens names an address")
                    .containsExactly("Candor collector listening on " + collector.baseUrl() + "/");
        }
    }

    /**
     * The database file alone deleted under a running collector: a catalog upload is refused with the same 503 as a
     * report, the background jobs, which had new reports to roll up, say once that they stop and then stay quiet
     * (no failure every interval), and the shutdown message does not claim the acknowledged reports are in a file
     * that is gone.
     */
    @Test
    void aDeletedDatabaseRefusesCatalogUploadsStopsTheBackgroundJobsAndSaysSoAtShutdown() throws Exception {
        Path data = dir.resolve("data");
        Path file = data.toAbsolutePath().normalize().resolve("candor.db");
        try (ServeProcess collector = ServeProcess.start(data, dir.resolve("logs"), "--jobs-every", "2s")) {
            assertThat(post(collector, AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);
            awaitOutput(collector, "rolled up acme");
            // a report the next run (2 s on) will find new, then the file gone before it runs
            assertThat(post(collector, AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);
            Files.delete(file);

            HttpResponse<String> refused = CLIENT.send(HttpRequest.newBuilder(URI.create(collector.baseUrl()
                    + "/v1/apps/acme/catalog")).header("Authorization", "Bearer " + dev.candor.server.testing.TestCollector.ADMIN_TOKEN)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(AcmeReports.catalogBytes())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(MAPPER.readTree(refused.body()).path("detail").asText()).isEqualTo("the collector's database file "
                    + "was deleted or replaced while it runs, so nothing can be stored until the collector is restarted; "
                    + "nothing of this request was stored, send it again later");

            String stopped = "background rollups, retention and releases stopped until the collector is restarted: "
                    + file + " was deleted while the collector runs";
            awaitOutput(collector, stopped);
            Thread.sleep(5_000); // two more intervals: a job that failed every run would say so again
            String log = collector.output();
            assertThat(log.split(java.util.regex.Pattern.quote(stopped + "\n"), -1)).as(log).hasSize(2);
            assertThat(log).doesNotContain("trying again at the next run").doesNotContain("Exception");
            String said = file + " was deleted while the collector runs.";
            assertThat(log.split(java.util.regex.Pattern.quote(said), -1)).as("the store says it once: " + log).hasSize(2);

            assertThat(collector.terminate(Duration.ofSeconds(30))).isIn(0, 143);
            assertThat(collector.output()).contains("Candor collector stopped; " + file + " was deleted while the collector "
                    + "runs: the reports it acknowledged before that were in the file it had open, which is not " + file
                    + " now, and is lost unless it was moved rather than deleted; those sent after it were refused (503) "
                    + "and stay with their senders").doesNotContain("every acknowledged report is in");
        }
    }

    /**
     * A newer offline command beside an older collector: while a collector holds the folder, a writing command that
     * would migrate the schema refuses, names the holder, says what to do and changes nothing. The older collector
     * is a real one whose schema lacks this version's latest migration (dropped under it, as if it never knew it).
     * Once the collector is stopped, the same command migrates and runs.
     */
    @Test
    void aCommandThatWouldMigrateRefusesWhileACollectorHoldsTheFolder() throws Exception {
        Path data = dir.resolve("data");
        Path folder = data.toAbsolutePath().normalize();
        Path file = folder.resolve("candor.db");
        String url = "jdbc:sqlite:" + file;
        try (ServeProcess older = ServeProcess.start(data, dir.resolve("logs"))) {
            assertThat(post(older, AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);
            String latest;
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                    java.sql.Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 5000");
                try (java.sql.ResultSet r = s.executeQuery("SELECT version FROM flyway_schema_history "
                        + "WHERE version IS NOT NULL ORDER BY installed_rank DESC LIMIT 1")) {
                    r.next();
                    latest = r.getString(1);
                }
                assertThat(latest).as("the test undoes V13 by hand: a newer latest migration needs this test changed").isEqualTo("13");
                s.execute("DROP TABLE ended_sign_ins");
                s.execute("DELETE FROM flyway_schema_history WHERE version = '13'");
            }

            for (String command : List.of("rollup", "retention", "release")) {
                Run refused = candor(command, "--data", data.toString());
                assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
                assertThat(refused.out()).isEmpty();
                assertThat(refused.err()).isEqualTo("candor " + command + ": " + file + " has an older schema than this "
                        + "candor (version 12, 1 migration to version 13 pending), and a collector (process " + older.pid()
                        + ") is running on " + folder + ": migrating the schema under it could break it, so nothing was "
                        + "changed; stop that collector first and run this again, or let this version's `candor serve "
                        + "--data " + folder + "` migrate it at its start, in the place of the running one\n");
            }
            assertThat(schemaVersion(url)).isEqualTo("12");
            // the older collector is unharmed and still holds its folder
            assertThat(post(older, AcmeReports.bytes(AcmeReports.valid())).statusCode()).isEqualTo(202);
            assertThat(older.terminate(Duration.ofSeconds(30))).isIn(0, 143);
        }
        Run rollup = candor("rollup", "--data", data.toString());
        assertThat(rollup.exit()).as(rollup.err()).isZero();
        assertThat(schemaVersion(url)).isEqualTo("13");
    }

    private static String schemaVersion(String url) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.Statement s = c.createStatement();
                java.sql.ResultSet r = s.executeQuery("SELECT version FROM flyway_schema_history WHERE version IS NOT NULL "
                        + "ORDER BY installed_rank DESC LIMIT 1")) {
            r.next();
            return r.getString(1);
        }
    }

    private static void awaitOutput(ServeProcess collector, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!collector.output().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the collector never said \"" + text + "\":\n" + collector.output());
            }
            Thread.sleep(100);
        }
    }
}
