package dev.candor.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One of the tiny apps under {@code candor-bench/apps}: the same one-event program built with a
 * different library (or none). It knows where its module's jar and runtime class path are, so it
 * always runs from its own jar on exactly its own library's jars.
 *
 * @param key       short name, used in file names and JSON ({@code plain}, {@code candor}, …)
 * @param title     what BENCHMARKS.md calls it
 * @param module    the module folder under {@code candor-bench/apps}
 * @param mainClass the app's main class
 * @param sends     whether the library sends anything over the network in this run (the exit conditions apply)
 * @param workMillis how long the app's work lasts ({@code BENCH_WORK_MILLIS}); only Candor's uploading run
 *                   works a while, so its background upload is under way when the work ends. Such an app
 *                   is left out of the startup comparison.
 */
public record TinyApp(String key, String title, String module, String mainClass, boolean sends, long workMillis) {

    /** Candor on an ordinary run: nothing waits in its outbox, so it records and saves, and sends nothing. */
    public static final String CANDOR = "candor";
    /** Candor on the one run a day that uploads: a closed period's report waits in its outbox. */
    public static final String CANDOR_UPLOADING = "candor-upload";

    /** Every tiny app, the baseline first. An app whose module is not built is skipped with a note. */
    public static final List<TinyApp> ALL = List.of(
            new TinyApp("plain", "no telemetry", "plain", "dev.candor.bench.apps.PlainApp", false, 0),
            new TinyApp(CANDOR, "Candor", "candor", "dev.candor.bench.apps.CandorApp", false, 0),
            new TinyApp(CANDOR_UPLOADING, "Candor, on a run that uploads a report (1 s of work)", "candor",
                    "dev.candor.bench.apps.CandorApp", true, 1000),
            new TinyApp("opentelemetry", "OpenTelemetry SDK (autoconfigured, OTLP/HTTP)", "opentelemetry",
                    "dev.candor.bench.apps.OpenTelemetryApp", true, 0),
            new TinyApp("micrometer", "Micrometer (SimpleMeterRegistry)", "micrometer",
                    "dev.candor.bench.apps.MicrometerApp", false, 0),
            new TinyApp("posthog", "PostHog posthog-java", "posthog", "dev.candor.bench.apps.PostHogApp", true, 0),
            new TinyApp("segment", "Segment analytics-java", "segment", "dev.candor.bench.apps.SegmentApp", true, 0));

    /** The module folder of this app inside the repository. */
    public Path moduleDir(Path repoRoot) {
        return repoRoot.resolve("candor-bench").resolve("apps").resolve(module);
    }

    /** Whether the module has been packaged (its jar and class path file present). */
    public boolean isBuilt(Path repoRoot) throws IOException {
        Path target = moduleDir(repoRoot).resolve("target");
        return appJar(repoRoot) != null && Files.isRegularFile(target.resolve("classpath.txt"));
    }

    /**
     * The app's own jar ({@code mvn package}), or null before it is built. Every app, the baseline too,
     * starts from its jar, as shipped apps do: opening a jar loads about a hundred JDK classes, and those
     * belong to the baseline, not to the library being measured.
     */
    Path appJar(Path repoRoot) throws IOException {
        Path target = moduleDir(repoRoot).resolve("target");
        if (!Files.isDirectory(target)) {
            return null;
        }
        try (var files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().startsWith("candor-bench-app-")
                            && f.getFileName().toString().endsWith(".jar"))
                    .findFirst().orElse(null);
        }
    }

    /**
     * The environment variable naming a jar to run Candor's tiny apps on instead of the SDK's own build:
     * another build of the SDK, or the floor ({@code candor-bench/floor}). {@code candor-bench/run} takes it
     * only with {@code --startup}, whose results name it and never go into BENCHMARKS.md.
     */
    public static final String SDK_JAR_VARIABLE = "CANDOR_BENCH_SDK_JAR";

    /** The library's runtime jars (empty for the plain app), in class path order. */
    public List<Path> libraryJars(Path repoRoot) throws IOException {
        return libraryJars(repoRoot, System.getenv(SDK_JAR_VARIABLE));
    }

    /** The library's runtime jars, with {@code substitute} (when not null or empty) in place of Candor's SDK jar. */
    List<Path> libraryJars(Path repoRoot, String substitute) throws IOException {
        String text = Files.readString(moduleDir(repoRoot).resolve("target").resolve("classpath.txt")).trim();
        List<Path> jars = new ArrayList<>();
        if (!text.isEmpty()) {
            Arrays.stream(text.split(java.io.File.pathSeparator)).map(Path::of).forEach(jars::add);
        }
        if (module.equals("candor") && substitute != null && !substitute.isEmpty()) {
            Path jar = Path.of(substitute).toAbsolutePath();
            if (!Files.isRegularFile(jar)) {
                throw new IOException(SDK_JAR_VARIABLE + " names " + jar + ", which is not a file");
            }
            if (!jars.removeIf(j -> j.getFileName().toString().startsWith("candor-sdk-"))) {
                throw new IOException("no candor-sdk jar on " + moduleDir(repoRoot) + "'s class path to put " + jar + " in place of");
            }
            jars.add(0, jar);
        }
        return jars;
    }

    /** The full class path to start the app with: its own jar, then its library's jars. */
    public String classPath(Path repoRoot) throws IOException {
        List<String> entries = new ArrayList<>();
        Path own = appJar(repoRoot);
        if (own == null) {
            throw new IOException("the tiny app " + module + " is not packaged: run mvn package for " + moduleDir(repoRoot));
        }
        entries.add(own.toString());
        libraryJars(repoRoot).forEach(jar -> entries.add(jar.toString()));
        return String.join(java.io.File.pathSeparator, entries);
    }
}
