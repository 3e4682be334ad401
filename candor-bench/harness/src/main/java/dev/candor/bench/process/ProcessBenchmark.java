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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Startup, exit, memory, classes and footprint of every tiny app, measured as whole processes.
 *
 * <ul>
 *   <li>Startup: every app once per round, in a shuffled order after one warm-up round, so a burst of load
 *       from the shared machine hits every app alike instead of one.</li>
 *   <li>Candor's added start, judged: extra rounds of the baseline and Candor only, back to back in
 *       alternating order, so each pair saw the same load; {@code BenchmarksWriter} takes the median of the
 *       pairs' differences with its confidence interval, precise enough to judge a +10 ms target.</li>
 *   <li>Classes: one extra run per app with {@code -Xlog:class+load}, apart from the timed runs so logging
 *       does not slow them, all side by side (untimed); the log says which classes came from the CDS archive.</li>
 *   <li>Exit: Candor's uploading run {@value #EXIT_ROUNDS} times under each network condition. The peers'
 *       first runs against a down or silent collector run side by side: they wait, they do not compute,
 *       and a run that holds the JVM for the whole limit is kept as "killed"; any run that ends before
 *       the limit is thrown away and measured again alone, so every time shown comes from a run alone.</li>
 * </ul>
 * Every app runs on the same JVM with the same flags ({@link #JVM_FLAGS}). Peak RSS comes from
 * {@code /usr/bin/time} when it is installed.
 *
 * <p>Usage: {@code ProcessBenchmark REPO_ROOT OUT_DIR [ROUNDS] [PAIRS] [--startup-only]}; writes {@code OUT_DIR/process.json}.
 * {@code --startup-only} measures the baseline's and Candor's start alone (no peers, no exits), the
 * quick judge for work on Candor's start ({@code candor-bench/run --startup}).
 */
public final class ProcessBenchmark {
    private static final Pattern WORK_DONE = Pattern.compile("work-done-micros=(\\d+)\\r?\\n"); // whole lines only: the file is read while the app runs
    private static final Path TIME = Path.of("/usr/bin/time");
    /** The JVM flags every app runs with: the JDK's default CDS archive, stated rather than assumed. */
    static final List<String> JVM_FLAGS = List.of("-Xshare:auto");
    /** A run is killed this long after its last line of work; PostHog's and Segment's clients retry for longer than that. */
    static final Duration TIME_LIMIT = Duration.ofSeconds(10);
    /** A run that has not reached its last line of work by then is killed too (a broken app, not a slow exit). */
    static final Duration START_LIMIT = Duration.ofSeconds(60);
    /** An exit condition whose exit delay takes longer than this once is not repeated: it is far past any target. */
    static final Duration REPEAT_ONLY_BELOW = Duration.ofSeconds(2);
    static final int WARMUP_ROUNDS = 1;
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
            System.err.println("usage: ProcessBenchmark REPO_ROOT OUT_DIR [ROUNDS] [PAIRS] [--startup-only]");
            System.exit(2);
        }
        Path repoRoot = Path.of(args[0]).toAbsolutePath().normalize();
        Path out = Path.of(args[1]).toAbsolutePath().normalize();
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int pairs = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        boolean startupOnly = args.length > 4 && args[4].equals("--startup-only");
        if (args.length > 4 && !startupOnly) {
            System.err.println("ProcessBenchmark: unknown option '" + args[4] + "' (the only one is --startup-only)");
            System.exit(2);
        }
        String substitute = System.getenv(TinyApp.SDK_JAR_VARIABLE);
        if (substitute != null && !substitute.isEmpty() && !startupOnly) {
            System.err.println("ProcessBenchmark: " + TinyApp.SDK_JAR_VARIABLE + " is for --startup-only runs (a full run"
                    + " measures the SDK's own build); unset it or add --startup-only");
            System.exit(2);
        }
        Files.createDirectories(out);
        Map<String, Object> result = new ProcessBenchmark(repoRoot, out.resolve("process-work")).run(rounds, pairs, startupOnly);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("process.json").toFile(), result);
    }

    /** Measures every built app; with {@code startupOnly}, only the baseline's and Candor's start (rounds, pairs, classes). */
    Map<String, Object> run(int rounds, int pairs, boolean startupOnly) throws IOException, InterruptedException {
        List<TinyApp> apps = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (TinyApp app : TinyApp.ALL) {
            if (startupOnly && !app.key().equals("plain") && !app.key().equals(TinyApp.CANDOR)) {
                continue;
            }
            if (app.isBuilt(repoRoot)) {
                apps.add(app);
            } else {
                skipped.add(app.key());
                System.err.println("process benchmark: " + app.key() + " is not built ("
                        + app.moduleDir(repoRoot) + "/target), skipped");
            }
        }
        Map<TinyApp, Map<NetworkCondition, List<ProcessRun>>> runs = new LinkedHashMap<>();
        Map<TinyApp, ClassCount> classes = new LinkedHashMap<>();
        for (TinyApp app : apps) {
            runs.put(app, new EnumMap<>(NetworkCondition.class));
        }
        List<Map<String, ProcessRun>> startupPairs = new ArrayList<>();
        Random shuffle = new Random(20261125);
        try (LoopbackCollectors collectors = new LoopbackCollectors()) {
            // Startup: the apps that start, record and end; the uploading run works 1 s on purpose and has its own runs below.
            List<TinyApp> starting = apps.stream().filter(app -> app.workMillis() == 0).collect(Collectors.toList());
            for (int round = 0; round < WARMUP_ROUNDS + rounds; round++) {
                List<TinyApp> order = new ArrayList<>(starting);
                Collections.shuffle(order, shuffle);
                for (TinyApp app : order) {
                    ProcessRun run = runOnce(app, NetworkCondition.UP, collectors, null);
                    if (round >= WARMUP_ROUNDS) {
                        runs.get(app).computeIfAbsent(NetworkCondition.UP, c -> new ArrayList<>()).add(run);
                    }
                }
                System.err.printf("process benchmark: startup round %d/%d%n", round + 1, WARMUP_ROUNDS + rounds);
            }

            TinyApp plain = find(apps, "plain");
            TinyApp candor = find(apps, TinyApp.CANDOR);
            if (plain != null && candor != null) {
                for (int pair = 0; pair < pairs; pair++) {
                    Map<String, ProcessRun> both = new LinkedHashMap<>();
                    for (TinyApp app : pair % 2 == 0 ? List.of(plain, candor) : List.of(candor, plain)) {
                        both.put(app.key(), runOnce(app, NetworkCondition.UP, collectors, null));
                    }
                    startupPairs.add(both);
                }
                System.err.printf("process benchmark: %d pairs of the baseline and Candor%n", pairs);
            }

            classes.putAll(classCounts(apps, collectors));

            for (TinyApp app : startupOnly ? List.<TinyApp>of() : apps) {
                if (app.sends() && app.workMillis() > 0) {
                    for (NetworkCondition condition : NetworkCondition.values()) {
                        runs.get(app).put(condition, exitRuns(app, condition, collectors));
                    }
                }
            }
            if (!startupOnly) {
                exitsOfThePeers(apps, runs, collectors);
            }
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rounds", rounds);
        result.put("warmupRounds", WARMUP_ROUNDS);
        result.put("exitRounds", EXIT_ROUNDS);
        result.put("jvmFlags", JVM_FLAGS);
        result.put("timeLimitSeconds", TIME_LIMIT.toSeconds());
        result.put("peakRssMeasured", measureRss);
        result.put("skipped", skipped);
        result.put("startupPairs", startupPairs);
        List<Map<String, Object>> appResults = new ArrayList<>();
        for (TinyApp app : apps) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("key", app.key());
            entry.put("title", app.title());
            entry.put("sends", app.sends());
            entry.put("workMillis", app.workMillis());
            entry.put("classesLoaded", classes.get(app).total());
            entry.put("classesFromCds", classes.get(app).fromCds());
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

    /**
     * The peers' exits under a down and a silent collector. Their first runs go side by side; a run held
     * for the whole limit is kept, and every other condition is measured again alone ({@link #exitRuns}).
     */
    private void exitsOfThePeers(List<TinyApp> apps, Map<TinyApp, Map<NetworkCondition, List<ProcessRun>>> runs,
            LoopbackCollectors collectors) throws InterruptedException, IOException {
        Map<String, Future<ProcessRun>> probes = new LinkedHashMap<>();
        List<TinyApp> peers = apps.stream().filter(app -> app.sends() && app.workMillis() == 0).collect(Collectors.toList());
        List<NetworkCondition> conditions = List.of(NetworkCondition.DOWN, NetworkCondition.HANG);
        ExecutorService sideBySide = Executors.newFixedThreadPool(Math.max(1, peers.size() * conditions.size()));
        try {
            for (TinyApp app : peers) {
                for (NetworkCondition condition : conditions) {
                    probes.put(app.key() + "/" + condition, sideBySide.submit(() -> runOnce(app, condition, collectors, null)));
                }
            }
            for (TinyApp app : peers) {
                for (NetworkCondition condition : conditions) {
                    ProcessRun probe;
                    try {
                        probe = probes.get(app.key() + "/" + condition).get();
                    } catch (ExecutionException e) {
                        throw new IOException(app.key() + " under " + condition + " failed: " + e.getCause().getMessage(), e.getCause());
                    }
                    List<ProcessRun> list = probe.killed() ? List.of(probe) : exitRuns(app, condition, collectors);
                    runs.get(app).put(condition, list);
                    System.err.printf("process benchmark: %s, %s: %d run(s)%s%n", app.key(), condition, list.size(),
                            probe.killed() ? ", killed at the limit" : "");
                }
            }
        } finally {
            sideBySide.shutdownNow();
        }
    }

    /**
     * One run per app with {@code -Xlog:class+load}, side by side: which classes a JVM loads does not depend
     * on the load of the machine, and these runs are not timed.
     */
    private Map<TinyApp, ClassCount> classCounts(List<TinyApp> apps, LoopbackCollectors collectors)
            throws IOException, InterruptedException {
        ExecutorService sideBySide = Executors.newFixedThreadPool(Math.max(1, apps.size()));
        try {
            Map<TinyApp, Future<ClassCount>> counting = new LinkedHashMap<>();
            for (TinyApp app : apps) {
                Path classLog = workDir.resolve(app.key() + "-classes.log");
                counting.put(app, sideBySide.submit(() -> {
                    runOnce(app, NetworkCondition.UP, collectors, classLog);
                    return ClassCount.of(classLog);
                }));
            }
            Map<TinyApp, ClassCount> counts = new LinkedHashMap<>();
            for (Map.Entry<TinyApp, Future<ClassCount>> entry : counting.entrySet()) {
                try {
                    counts.put(entry.getKey(), entry.getValue().get());
                } catch (ExecutionException e) {
                    throw new IOException(entry.getKey().key() + "'s class-loading run failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
            return counts;
        } finally {
            sideBySide.shutdownNow();
        }
    }

    /**
     * Up to {@link #EXIT_ROUNDS} runs alone; once a run's exit (from its last line of work) takes over
     * {@link #REPEAT_ONLY_BELOW}, or it is killed, the condition is not repeated: it is far past any target.
     */
    private List<ProcessRun> exitRuns(TinyApp app, NetworkCondition condition, LoopbackCollectors collectors)
            throws IOException, InterruptedException {
        List<ProcessRun> list = new ArrayList<>();
        ProcessRun run = runOnce(app, condition, collectors, null);
        list.add(run);
        while (list.size() < EXIT_ROUNDS && !run.killed() && run.exitMillis() < REPEAT_ONLY_BELOW.toMillis()) {
            run = runOnce(app, condition, collectors, null);
            list.add(run);
        }
        if (app.workMillis() > 0) {
            System.err.printf("process benchmark: %s, %s: %d run(s)%n", app.key(), condition, list.size());
        }
        return list;
    }

    private static TinyApp find(List<TinyApp> apps, String key) {
        return apps.stream().filter(app -> app.key().equals(key)).findFirst().orElse(null);
    }

    /** How many classes a run loaded, and how many of them the JVM mapped from its CDS archive instead of parsing them. */
    record ClassCount(int total, int fromCds) {
        static ClassCount of(Path classLog) throws IOException {
            int total = 0;
            int shared = 0;
            try (Stream<String> lines = Files.lines(classLog)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.contains(" source: ")) {
                        total++;
                        if (line.contains("source: shared objects file")) {
                            shared++;
                        }
                    }
                }
            }
            return new ClassCount(total, shared);
        }
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
        command.addAll(JVM_FLAGS);
        if (classLog != null) {
            command.add("-Xlog:class+load=info:file=" + classLog);
        }
        command.addAll(List.of("-cp", app.classPath(repoRoot), app.mainClass()));

        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        TinyAppState.environment(builder.environment(), app, state, collectors.baseUrl(condition));

        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        Process process = builder.start();
        // Wait for the end; the limit counts from the app's last line of work, so a slow start (a loaded
        // machine, runs side by side) never eats into the time an exit is given.
        long doneMicros = -1;
        boolean exited = false;
        for (long poll = 1; ; poll = Math.min(poll * 2, 50)) {
            if (process.waitFor(poll, TimeUnit.MILLISECONDS)) {
                exited = true;
                break;
            }
            if (doneMicros < 0) {
                doneMicros = workDone(stdout);
            }
            long limitMicros = doneMicros >= 0 ? doneMicros + TIME_LIMIT.toNanos() / 1000 : micros(startedAt) + START_LIMIT.toNanos() / 1000;
            if (micros(Instant.now()) > limitMicros) {
                break;
            }
        }
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
        if (doneMicros < 0) {
            doneMicros = workDone(stdout);
        }
        if (doneMicros >= 0) {
            work = (doneMicros - micros(startedAt)) / 1e3;
            exit = (micros(endedAt) - doneMicros) / 1e3;
        } else if (exited) {
            throw new IllegalStateException(app.key() + " under " + condition + " exited without its work-done line; see "
                    + stdout + " and " + stderr);
        }
        if (exited && app.key().equals(TinyApp.CANDOR) && !wroteCounts(state.resolve("tinyapp").resolve("state"))) {
            // A start that got faster by dropping the run's counts would look like a win: refuse to time it.
            throw new IllegalStateException("Candor's tiny app exited without writing its counts under " + state
                    + "; see " + stderr);
        }
        long peakRss = -1;
        if (exited && Files.isRegularFile(rss)) {
            String text = Files.readString(rss).trim();
            String[] lines = text.split("\\R");
            peakRss = Long.parseLong(lines[lines.length - 1].trim());
        }
        return new ProcessRun(wall, work, exit, peakRss, !exited);
    }

    /**
     * Whether a Candor state folder holds a counter file of a recording run ({@code counts/<period>/*.on.json})
     * with the tiny app's one event counted once: its cell's values listed (a recorder's file) or named (a
     * short run's, docs/ARCHITECTURE.md).
     */
    private static boolean wroteCounts(Path candorState) throws IOException {
        Path counts = candorState.resolve("counts");
        if (!Files.isDirectory(counts)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(counts)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".on.json")).anyMatch(f -> {
                try {
                    return ONE_EVENT.matcher(Files.readString(f)).find();
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    /** The tiny app's one event, counted once, in a counter file of either form. */
    private static final Pattern ONE_EVENT = Pattern.compile("\"command_run\":\\[\\{\"cell\":(\\[\"convert\",\"true\",\"<100ms\"\\]"
            + "|\\{\"command\":\"convert\",\"success\":\"true\",\"duration\":\"<100ms\"\\}),\"n\":1\\}\\]");

    /** The epoch microseconds of the app's "work done" line, or -1 while it has not printed it. */
    private static long workDone(Path stdout) throws IOException {
        Matcher matcher = WORK_DONE.matcher(Files.readString(stdout));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
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
