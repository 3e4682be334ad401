package dev.candor.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.candor.server.testing.AcmeReports;
import dev.candor.server.testing.ServeProcess;
import dev.candor.server.testing.TestPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test (it runs only when asked, see BENCHMARKS.md): ingest throughput of
 * {@code candor serve} in reports/s on the embedded SQLite file, on PostgreSQL with one node, and
 * on PostgreSQL with three nodes, in one run, under the same load: {@value #CONNECTIONS} client
 * threads posting batches of {@value #BATCH} fresh reports as fast as the answers come, spread
 * round-robin over the nodes, {@code SECONDS} measured after {@code WARMUP} seconds. Writes the
 * table to {@code target/ingest-throughput.md}.
 */
@EnabledIfSystemProperty(named = "candor.measure", matches = "ingest")
class IngestThroughputIT {
    static final int CONNECTIONS = 8;
    static final int BATCH = 20;
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    @TempDir Path work;

    private record Result(String store, int nodes, long reports, double seconds) {
        double perSecond() {
            return reports / seconds;
        }
    }

    @Test
    void measureIngestOnSqliteAndPostgres() throws Exception {
        Duration warmup = Duration.ofSeconds(Long.getLong("candor.measure.warmup", 5));
        Duration measured = Duration.ofSeconds(Long.getLong("candor.measure.seconds", 20));
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        double loadBefore = os.getSystemLoadAverage();
        List<Result> results = new ArrayList<>();
        results.add(measure("SQLite (embedded)", warmup, measured, List.of(List.of())));
        String one = TestPostgres.newDatabase();
        results.add(measure("PostgreSQL", warmup, measured, List.of(List.of("--db", one))));
        String three = TestPostgres.newDatabase();
        List<List<String>> threeNodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            threeNodes.add(List.of("--db", three));
        }
        results.add(measure("PostgreSQL", warmup, measured, threeNodes));

        StringBuilder table = new StringBuilder();
        table.append("| store | collector nodes | reports/s | reports in ").append(measured.toSeconds()).append(" s |\n");
        table.append("| --- | ---: | ---: | ---: |\n");
        for (Result r : results) {
            table.append(String.format(Locale.ROOT, "| %s | %d | %,.0f | %,d |%n", r.store(), r.nodes(), r.perSecond(), r.reports()));
        }
        table.append(String.format(Locale.ROOT, "%nMachine: %d cores, load average %.1f before and %.1f after the run "
                + "(the load generator, the collector nodes and PostgreSQL all share these cores).%n",
                os.getAvailableProcessors(), loadBefore, os.getSystemLoadAverage()));
        Path out = Path.of("target", "ingest-throughput.md");
        Files.writeString(out, table.toString(), StandardCharsets.UTF_8);
        System.out.println(table);
        assertThat(results).allSatisfy(r -> assertThat(r.reports()).isPositive());
    }

    private Result measure(String store, Duration warmup, Duration measured, List<List<String>> nodeArgs) throws Exception {
        List<ServeProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < nodeArgs.size(); i++) {
                List<String> args = new ArrayList<>(nodeArgs.get(i));
                args.addAll(List.of("--rate-limit", "0"));
                Path here = work.resolve(store.replaceAll("\\W", "") + "-" + nodeArgs.size() + "-" + i);
                nodes.add(ServeProcess.start(here, here, args.toArray(String[]::new)));
            }
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            LongAdder accepted = new LongAdder();
            AtomicBoolean counting = new AtomicBoolean();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService threads = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<?>> load = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                ServeProcess node = nodes.get(c % nodes.size());
                load.add(threads.submit(() -> {
                    while (running.get()) {
                        ObjectNode[] reports = new ObjectNode[BATCH];
                        for (int i = 0; i < BATCH; i++) {
                            reports[i] = AcmeReports.valid();
                        }
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder(java.net.URI.create(node.baseUrl() + "/v1/reports"))
                                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(AcmeReports.bytes(AcmeReports.batch(reports))))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        Matcher m = ACCEPTED.matcher(response.body());
                        if (response.statusCode() == 202 && m.find() && counting.get()) {
                            accepted.add(Long.parseLong(m.group(1)));
                        }
                    }
                    return null;
                }));
            }
            Thread.sleep(warmup.toMillis());
            counting.set(true);
            long start = System.nanoTime();
            Thread.sleep(measured.toMillis());
            counting.set(false);
            double seconds = (System.nanoTime() - start) / 1e9;
            running.set(false);
            for (Future<?> f : load) {
                f.get();
            }
            threads.shutdown();
            return new Result(store, nodes.size(), accepted.sum(), seconds);
        } finally {
            for (ServeProcess node : nodes) {
                node.terminate(Duration.ofSeconds(30));
            }
        }
    }
}
