package dev.candor.bench.collector;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector under load: starts each target server as its own process, waits until it is healthy,
 * then this process (the load generator) posts batches of valid reports over a fixed number of
 * connections, as fast as the server answers, and records reports/s and per-request latency. Each connection
 * is a plain blocking HTTP/1.1 socket ({@link PostConnection}) posting bodies stamped from prepared bytes
 * ({@link ReportFactory#batchBytes}), so that the load generator, which shares the machine's cores with the
 * server, takes as little of them as it can; its own CPU time and the server's per request are recorded
 * beside the throughput. Every server starts on an empty data folder.
 *
 * <p>The targets are the no-op ceiling (same HTTP stack, no work), {@code candor serve} on its embedded
 * SQLite, and {@code candor serve} on an embedded PostgreSQL once the collector can run on it (see
 * {@link #targets} and {@link PostgresTarget}). Every target gets the same load, the same warm-up and the same measured time. Every
 * server records a Java Flight Recording with the default settings from the start of its warm-up (about 1 %
 * overhead, alike for all); the measured time's part is summarised by {@link FlightRecordingSummary}, so a
 * shortfall comes with where the time went.
 *
 * <p>Usage: {@code CollectorBenchmark REPO_ROOT OUT_DIR [SECONDS] [BATCH] [CONNECTIONS]};
 * writes {@code OUT_DIR/collector.json}. {@code -Dcandor.bench.collector.targets=noop,sqlite} measures only the
 * named targets (in their usual order), for a quick before-and-after of one of them beside the ceiling.
 */
public final class CollectorBenchmark {
    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
    /**
     * Load before the measured time, alike for every target. A collector runs for days; what it can take is its
     * throughput once the JIT has compiled its code. A fresh {@code candor serve} keeps a compiler thread busy for
     * about 20 s of this load on a 2-core machine (about half of its CPU in the first 10 s), where the no-op
     * endpoint, having far less code, is compiled within a few seconds: after 3 s the measurement was mostly the
     * compiler.
     */
    private static final Duration WARMUP = Duration.ofSeconds(20);
    private static final String COMMITS = "candor_store_commit_seconds_count";
    private static final String COMMIT_SECONDS = "candor_store_commit_seconds_sum";
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    /** The admin token every target is started with: {@code /metrics} (the commit counters) needs it. */
    static final String ADMIN_TOKEN = "candor-bench-admin-token";

    private final Path repoRoot;
    private final Path out;
    private final Path catalog;
    private final Duration measured;
    private final int batch;
    private final int connections;
    /**
     * The last target's flight-recording summary ({@code jfr print} in a JVM of its own), made while the next
     * server starts and awaited before that server's load begins, so it never competes with a measurement.
     */
    private java.util.concurrent.CompletableFuture<Void> summarising = java.util.concurrent.CompletableFuture.completedFuture(null);

    CollectorBenchmark(Path repoRoot, Path out, Duration measured, int batch, int connections) {
        this.repoRoot = repoRoot;
        this.out = out;
        this.catalog = repoRoot.resolve("examples/acme/src/main/resources/META-INF/candor/catalog.json");
        this.measured = measured;
        this.batch = batch;
        this.connections = connections;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: CollectorBenchmark REPO_ROOT OUT_DIR [SECONDS] [BATCH] [CONNECTIONS]");
            System.exit(2);
        }
        // The embedded PostgreSQL server logs every line at INFO; only its warnings matter here.
        System.setProperty("org.slf4j.simpleLogger.log.io.zonky", "warn");
        Path repoRoot = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]).toAbsolutePath().normalize();
        Duration seconds = Duration.ofSeconds(args.length > 2 ? Integer.parseInt(args[2]) : 8);
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        int connections = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        Files.createDirectories(out);
        Map<String, Object> result = new CollectorBenchmark(repoRoot, out, seconds, batch, connections).run();
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("collector.json").toFile(), result);
    }

    /** Every target, the ceiling first. Adding a storage backend to the collector is one more entry here. */
    List<CollectorTarget> targets() {
        Path candorJar = repoRoot.resolve("candor-server/target/candor.jar");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String harnessClassPath = System.getProperty("java.class.path");
        return List.of(
                new CollectorTarget() {
                    public String key() { return "noop"; }
                    public String title() { return "no-op endpoint (Javalin, same stack): the ceiling"; }
                    public Optional<String> unavailableBecause() { return Optional.empty(); }
                    public List<String> command(int port, Path dataDir) {
                        return List.of(java, "-cp", harnessClassPath, NoopCollector.class.getName(), Integer.toString(port));
                    }
                    public boolean reportsAccepted() { return false; }
                },
                new CollectorTarget() {
                    public String key() { return "sqlite"; }
                    public String title() { return "candor serve, embedded SQLite"; }
                    public Optional<String> unavailableBecause() {
                        if (!Files.isRegularFile(candorJar)) {
                            return Optional.of("candor-server/target/candor.jar is not built");
                        }
                        if (!Files.isRegularFile(catalog)) {
                            return Optional.of("the acme catalog (" + repoRoot.relativize(catalog) + ") is missing");
                        }
                        return Optional.empty();
                    }
                    public List<String> command(int port, Path dataDir) {
                        return List.of(java, "-jar", candorJar.toString(), "serve", "--host", "127.0.0.1",
                                "--port", Integer.toString(port), "--data", dataDir.toString(),
                                "--catalog", catalog.toString(), "--rate-limit", "0", "--admin-token", ADMIN_TOKEN);
                    }
                    public boolean reportsAccepted() { return true; }
                },
                new PostgresTarget(java, candorJar, catalog));
    }

    Map<String, Object> run() throws Exception {
        ReportFactory reports = Files.isRegularFile(catalog) ? new ReportFactory(catalog, 500, 42) : null;
        List<Map<String, Object>> results = new ArrayList<>();
        Optional<List<String>> only = Optional.ofNullable(System.getProperty("candor.bench.collector.targets"))
                .map(keys -> List.of(keys.split(",")));
        for (CollectorTarget target : targets()) {
            if (only.isPresent() && !only.get().contains(target.key())) {
                continue;
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", target.key());
            entry.put("title", target.title());
            Optional<String> unavailable = reports == null
                    ? Optional.of("the acme catalog is missing, so no valid reports can be made") : target.unavailableBecause();
            if (unavailable.isPresent()) {
                entry.put("unavailable", unavailable.get());
                System.err.println("collector benchmark: " + target.key() + " skipped: " + unavailable.get());
            } else {
                try {
                    entry.putAll(measure(target, reports));
                    System.err.println("collector benchmark: " + target.key() + " " + entry.get("reportsPerSecond") + " reports/s");
                } catch (IllegalStateException | java.io.UncheckedIOException failed) {
                    entry.put("unavailable", "failed: " + failed.getMessage());
                    System.err.println("collector benchmark: " + target.key() + " failed: " + failed.getMessage());
                }
            }
            results.add(entry);
            if (target instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        summarising.join();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("batch", batch);
        result.put("connections", connections);
        result.put("warmupSeconds", WARMUP.toSeconds());
        result.put("measuredSeconds", measured.toSeconds());
        result.put("targets", results);
        return result;
    }

    private Map<String, Object> measure(CollectorTarget target, ReportFactory reports) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        // Every server starts on an empty data folder: a folder left by an earlier run would make the collector's
        // start-up rollup read all of its reports during the load, and a larger database is a different test.
        Path dataDir = out.resolve("collector-data").resolve(target.key());
        deleteRecursively(dataDir);
        Files.createDirectories(dataDir);
        Path log = out.resolve("collector-" + target.key() + ".log");
        Path recording = out.resolve("collector-" + target.key() + ".jfr");
        Files.deleteIfExists(recording);
        Process server = new ProcessBuilder(target.command(port, dataDir))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitHealthy(client, base, server, log);
            summarising.join();
            // The recording starts before the warm-up: starting one in a running JVM instruments JDK classes and
            // throws away compiled code; started with the measured time, it cost candor serve about 60 % of its
            // throughput and the no-op endpoint about 45 %. Only the measured time is summarised.
            jcmd(server, "JFR.start", "name=candor-bench", "settings=default");
            Load warm = load(port, reports, WARMUP, target.reportsAccepted());
            if (!warm.failures.isEmpty() && warm.accepted.sum() == 0) {
                throw new IllegalStateException(target.key() + " accepted nothing during warm-up: " + warm.firstFailure.get()
                        + " (server log: " + log.getFileName() + " in the results)");
            }
            java.time.Instant measuredFrom = java.time.Instant.now();
            Map<String, Double> before = storeMetrics(client, base);
            long serverCpuBefore = cpuNanos(server.pid());
            long ownCpuBefore = ownCpuNanos();
            Load run = load(port, reports, measured, target.reportsAccepted());
            long ownCpu = ownCpuNanos() - ownCpuBefore;
            long serverCpu = cpuNanos(server.pid()) - serverCpuBefore;
            Map<String, Double> after = storeMetrics(client, base);
            jcmd(server, "JFR.dump", "name=candor-bench", "begin=" + measuredFrom, "filename=" + recording);
            long[] latencies = run.latencies();
            Arrays.sort(latencies);
            Map<String, Object> entry = new LinkedHashMap<>();
            double seconds = run.elapsedNanos / 1e9;
            entry.put("reportsPerSecond", Math.round(run.accepted.sum() / seconds));
            entry.put("requestsPerSecond", Math.round(latencies.length / seconds));
            entry.put("requests", latencies.length);
            entry.put("p50Millis", percentile(latencies, 0.50) / 1e6);
            entry.put("p99Millis", percentile(latencies, 0.99) / 1e6);
            entry.put("failures", new LinkedHashMap<>(run.failures));
            if (latencies.length > 0 && ownCpu >= 0) {
                entry.put("loadGeneratorCpuMicrosPerRequest", Math.round(ownCpu / 1e3 / latencies.length));
            }
            if (latencies.length > 0 && serverCpuBefore >= 0 && serverCpu >= 0) {
                entry.put("serverCpuMicrosPerRequest", Math.round(serverCpu / 1e3 / latencies.length));
            }
            double commits = after.getOrDefault(COMMITS, 0.0) - before.getOrDefault(COMMITS, 0.0);
            if (commits > 0) {
                entry.put("commits", Math.round(commits));
                entry.put("meanCommitMillis", 1000 * (after.get(COMMIT_SECONDS) - before.getOrDefault(COMMIT_SECONDS, 0.0)) / commits);
            }
            if (run.firstFailure.get() != null) {
                entry.put("firstFailure", run.firstFailure.get());
            }
            return entry;
        } finally {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor();
            }
            summarising.join();
            Path summary = out.resolve("collector-" + target.key() + "-profile.txt");
            summarising = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    FlightRecordingSummary.write(recording, summary);
                } catch (IOException | InterruptedException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** CPU time (user and system) a process has used so far, from {@code /proc}; -1 where there is no such file. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10_000_000L; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long ownCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean unix ? unix.getProcessCpuTime() : -1;
    }

    /** The collector's own commit counters from {@code GET /metrics} (Prometheus text); empty for a server without them. */
    private static Map<String, Double> storeMetrics(HttpClient client, URI base) {
        Map<String, Double> values = new LinkedHashMap<>();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(base.resolve("/metrics"))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return values;
            }
            for (String line : response.body().split("\n")) {
                for (String name : List.of(COMMITS, COMMIT_SECONDS)) {
                    if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                        values.merge(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return values;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return values;
    }

    /** Runs a diagnostic command in the server (outside the measured time: it starts a JVM of its own). */
    private static void jcmd(Process server, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        line.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        line.add(Long.toString(server.pid()));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!jcmd.waitFor(60, TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
        }
    }

    private static void awaitHealthy(HttpClient client, URI base, Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        HttpRequest health = HttpRequest.newBuilder(base.resolve("/healthz")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue() + " before it was healthy; see " + log.getFileName()
                        + " in the results");
            }
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server was not healthy within " + READY_WITHIN.toSeconds() + " s; see " + log.getFileName()
                + " in the results");
    }

    /** What one load phase saw. */
    private static final class Load {
        final LongAdder accepted = new LongAdder();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();
        final AtomicReference<String> firstFailure = new AtomicReference<>();
        final List<long[]> perConnection = new ArrayList<>();
        final int[] counts;
        long elapsedNanos;

        Load(int connections) {
            counts = new int[connections];
            for (int i = 0; i < connections; i++) {
                perConnection.add(new long[1 << 16]);
            }
        }

        synchronized void record(int connection, long nanos) {
            long[] array = perConnection.get(connection);
            if (counts[connection] == array.length) {
                array = Arrays.copyOf(array, array.length * 2);
                perConnection.set(connection, array);
            }
            array[counts[connection]++] = nanos;
        }

        long[] latencies() {
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int at = 0;
            for (int i = 0; i < counts.length; i++) {
                System.arraycopy(perConnection.get(i), 0, all, at, counts[i]);
                at += counts[i];
            }
            return all;
        }
    }

    private Load load(int port, ReportFactory reports, Duration length, boolean checkAccepted) throws InterruptedException {
        Load load = new Load(connections);
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        long end = start + length.toNanos();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            Thread thread = new Thread(() -> {
                Random random = new Random(1000 + connection + start);
                try (PostConnection http = new PostConnection("127.0.0.1", port, "/v1/reports", Duration.ofSeconds(30))) {
                    while (System.nanoTime() < end) {
                        byte[] body = reports.batchBytes(batch, random);
                        long sent = System.nanoTime();
                        PostConnection.Answer answer;
                        try {
                            answer = http.post(body);
                        } catch (IOException e) {
                            load.failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                            load.firstFailure.compareAndSet(null, e.toString());
                            continue;
                        }
                        load.record(connection, System.nanoTime() - sent);
                        if (answer.status() != 202) {
                            load.failures.merge("HTTP " + answer.status(), 1, Integer::sum);
                            load.firstFailure.compareAndSet(null, "HTTP " + answer.status() + ": " + answer.body());
                            continue;
                        }
                        if (checkAccepted) {
                            Matcher matcher = ACCEPTED.matcher(answer.body());
                            int accepted = matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
                            if (accepted != batch) {
                                load.failures.merge("accepted " + accepted + " of " + batch, 1, Integer::sum);
                                load.firstFailure.compareAndSet(null, "202 but: " + answer.body());
                            }
                            load.accepted.add(Math.max(accepted, 0));
                        } else {
                            load.accepted.add(batch);
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + c);
            thread.start();
        }
        done.await();
        load.elapsedNanos = System.nanoTime() - start;
        return load;
    }

    private static double percentile(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
