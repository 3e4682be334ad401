package dev.candor.bench.process;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Startup, exit, memory, classes and footprint of every tiny app, measured as whole processes.
 *
 * <p>Runs are interleaved (every app once per round, in a shuffled order), so a burst of load from the
 * shared machine hits every app alike instead of one. Peak RSS comes from {@code /usr/bin/time} when it
 * is installed; the classes loaded come from one extra run per app with {@code -Xlog:class+load}, apart
 * from the timed runs so logging does not slow them.
 *
 * <p>Usage: {@code ProcessBenchmark REPO_ROOT OUT_DIR [ROUNDS]}; writes {@code OUT_DIR/process.json}.
 */
public final class ProcessBenchmark {
    private static final Pattern WORK_DONE = Pattern.compile("work-done-micros=(\\d+)");
    private static final Path TIME = Path.of("/usr/bin/time");
    /** A run is killed after this long; PostHog's and Segment's clients retry for longer than that. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(10);
    /** An exit condition that takes longer than this once is not repeated: it is far past any target. */
    static final Duration REPEAT_ONLY_BELOW = Duration.ofSeconds(2);
    static final int WARMUP_ROUNDS = 2;
    static final int EXIT_ROUNDS = 5;

    private final Path repoRoot;
    private final Path workDir;
    private final String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final boolean measureRss = Files.isExecutable(TIME);

    ProcessBenchmark(Path repoRoot, Path workDir) {
        this.repoRoot = repoRoot;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: ProcessBenchmark REPO_ROOT OUT_DIR [ROUNDS]");
            System.exit(2);
        }
        Path repoRoot = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]).toAbsolutePath().normalize();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        Files.createDirectories(out);
        Map<String, Object> result = new ProcessBenchmark(repoRoot, out.resolve("process-work")).run(rounds);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("process.json").toFile(), result);
    }

    Map<String, Object> run(int rounds) throws IOException, InterruptedException {
        List<TinyApp> apps = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (TinyApp app : TinyApp.ALL) {
            if (app.isBuilt(repoRoot)) {
                apps.add(app);
            } else {
                skipped.add(app.key());
                System.err.println("process benchmark: " + app.key() + " is not built ("
                        + app.moduleDir(repoRoot) + "/target), skipped");
            }
        }
        Map<TinyApp, Map<NetworkCondition, List<ProcessRun>>> runs = new LinkedHashMap<>();
        Map<TinyApp, Integer> classes = new LinkedHashMap<>();
        for (TinyApp app : apps) {
            runs.put(app, new EnumMap<>(NetworkCondition.class));
        }
        Random shuffle = new Random(20261125);
        try (LoopbackCollectors collectors = new LoopbackCollectors()) {
            for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
                List<TinyApp> order = new ArrayList<>(apps);
                Collections.shuffle(order, shuffle);
                for (TinyApp app : order) {
                    ProcessRun run = runOnce(app, NetworkCondition.UP, collectors, null);
                    if (round >= WARMUP_ROUNDS) {
                        runs.get(app).computeIfAbsent(NetworkCondition.UP, c -> new ArrayList<>()).add(run);
                    }
                }
                System.err.printf("process benchmark: startup round %d/%d%n", round + 1, WARMUP_ROUNDS + rounds);
            }
            for (TinyApp app : apps) {
                Path classLog = workDir.resolve(app.key() + "-classes.log");
                runOnce(app, NetworkCondition.UP, collectors, classLog);
                try (Stream<String> lines = Files.lines(classLog)) {
                    classes.put(app, (int) lines.filter(line -> line.contains(" source: ")).count());
                }
            }
            for (NetworkCondition condition : List.of(NetworkCondition.DOWN, NetworkCondition.HANG)) {
                for (TinyApp app : apps) {
                    if (!app.sends()) {
                        continue;
                    }
                    List<ProcessRun> list = new ArrayList<>();
                    ProcessRun first = runOnce(app, condition, collectors, null);
                    list.add(first);
                    if (!first.killed() && first.wallMillis() < REPEAT_ONLY_BELOW.toMillis()) {
                        for (int i = 1; i < EXIT_ROUNDS; i++) {
                            list.add(runOnce(app, condition, collectors, null));
                        }
                    }
                    runs.get(app).put(condition, list);
                    System.err.printf("process benchmark: %s, %s: %d run(s)%n", app.key(), condition, list.size());
                }
            }
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rounds", rounds);
        result.put("timeLimitSeconds", TIME_LIMIT.toSeconds());
        result.put("peakRssMeasured", measureRss);
        result.put("skipped", skipped);
        List<Map<String, Object>> appResults = new ArrayList<>();
        for (TinyApp app : apps) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", app.key());
            entry.put("title", app.title());
            entry.put("sends", app.sends());
            entry.put("workMillis", app.workMillis());
            entry.put("classesLoaded", classes.get(app));
            List<Map<String, Object>> jars = new ArrayList<>();
            long total = 0;
            for (Path jar : app.libraryJars(repoRoot)) {
                long size = Files.size(jar);
                total += size;
                jars.add(Map.of("name", jar.getFileName().toString(), "bytes", size,
                        "path", jar.startsWith(repoRoot) ? repoRoot.relativize(jar).toString() : jar.getFileName().toString()));
            }
            entry.put("jars", jars);
            entry.put("jarBytes", total);
            Map<String, Object> byCondition = new LinkedHashMap<>();
            runs.get(app).forEach((condition, list) -> byCondition.put(condition.name().toLowerCase(), list));
            entry.put("runs", byCondition);
            appResults.add(entry);
        }
        result.put("apps", appResults);
        return result;
    }

    private ProcessRun runOnce(TinyApp app, NetworkCondition condition, LoopbackCollectors collectors, Path classLog)
            throws IOException, InterruptedException {
        Path runDir = Files.createDirectories(workDir.resolve("runs").resolve(app.key() + "-" + condition.name().toLowerCase()));
        Path state = runDir.resolve("state");
        deleteTree(state);
        Files.createDirectories(state);
        TinyAppState.prepare(app, state, repoRoot);
        Path stdout = runDir.resolve("stdout.txt");
        Path stderr = runDir.resolve("stderr.txt");
        Path rss = runDir.resolve("rss.txt");
        Files.deleteIfExists(rss);

        List<String> command = new ArrayList<>();
        if (measureRss && classLog == null) {
            command.addAll(List.of(TIME.toString(), "-f", "%M", "-o", rss.toString()));
        }
        command.add(javaCommand);
        if (classLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.addAll(List.of("-cp", app.classPath(repoRoot), app.mainClass()));

        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        TinyAppState.environment(builder.environment(), app, state, collectors.baseUrl(condition));

        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        Process process = builder.start();
        boolean exited = process.waitFor(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        long end = System.nanoTime();
        Instant endedAt = Instant.now();
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
        double wall = (end - start) / 1e6;
        double work = Double.NaN;
        double exit = Double.NaN;
        Matcher matcher = WORK_DONE.matcher(Files.readString(stdout));
        if (matcher.find()) {
            long doneMicros = Long.parseLong(matcher.group(1));
            work = (doneMicros - micros(startedAt)) / 1e3;
            exit = (micros(endedAt) - doneMicros) / 1e3;
        } else if (exited) {
            throw new IllegalStateException(app.key() + " under " + condition + " exited without its work-done line; see "
                    + stdout + " and " + stderr);
        }
        long peakRss = -1;
        if (exited && Files.isRegularFile(rss)) {
            String text = Files.readString(rss).trim();
            String[] lines = text.split("\\R");
            peakRss = Long.parseLong(lines[lines.length - 1].trim());
        }
        return new ProcessRun(wall, work, exit, peakRss, !exited);
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
