package dev.candor.bench.process;

import dev.candor.bench.collector.ReportFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * The environment every tiny app runs in: a fresh private folder for whatever the library keeps on disk,
 * the collector's address, and none of the variables from the harness's own environment that would
 * change what a library does (its own settings, JVM options picked up from the environment).
 */
final class TinyAppState {
    private TinyAppState() {
    }

    private static final Random RANDOM = new Random(9);

    static void environment(Map<String, String> env, TinyApp app, Path state, String collectorBaseUrl) {
        env.keySet().removeIf(name -> name.startsWith("OTEL_") || name.contains("TELEMETRY") || name.equals("DO_NOT_TRACK")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        env.put("HOME", state.toString());
        env.put("XDG_CONFIG_HOME", state.resolve("config").toString());
        env.put("BENCH_ENDPOINT", collectorBaseUrl);
        env.put("BENCH_STATE_DIR", state.toString());
        env.put("BENCH_WORK_MILLIS", Long.toString(app.workMillis()));
        // Candor's tiny app (app "tinyapp"): on, its files in the private folder, reports to the collector.
        env.put("TINYAPP_TELEMETRY", "1");
        env.put("TINYAPP_TELEMETRY_DIR", state.resolve("tinyapp").toString());
        env.put("TINYAPP_TELEMETRY_ENDPOINT", collectorBaseUrl + "/v1/reports");
    }

    /**
     * Lays out what the app finds on disk when it starts; every run starts from the same state. For Candor,
     * that of an ordinary run: the user agreed to this catalog in an earlier run, so {@code
     * <state>/agreed-catalog.json} holds it (docs/ARCHITECTURE.md), as it does on every run after an install's
     * first. A run without it is a first run (it records the agreement on the app's thread), once per install
     * or catalog change; BENCHMARKS.md's hand-written SDK section gives what that one costs.
     */
    static void prepare(TinyApp app, Path state, Path repoRoot) throws IOException {
        if (!app.key().equals(TinyApp.CANDOR) && !app.key().equals(TinyApp.CANDOR_UPLOADING)) {
            return;
        }
        Path catalog = app.moduleDir(repoRoot).resolve("src/main/resources/META-INF/candor/catalog.json");
        Path candorState = Files.createDirectories(state.resolve("tinyapp").resolve("state"));
        Files.write(candorState.resolve("agreed-catalog.json"), Files.readAllBytes(catalog));
        if (!app.key().equals(TinyApp.CANDOR_UPLOADING)) {
            return;
        }
        // A closed period's report in the outbox (docs/ARCHITECTURE.md: <state>/outbox/<period>_<report_id>.json,
        // where <state> is $TINYAPP_TELEMETRY_DIR/state), valid for the tiny app's catalog, so this run's
        // uploader has exactly one report to send.
        ReportFactory.Report report = new ReportFactory(catalog, 1, 9).outboxReport(RANDOM);
        Path outbox = Files.createDirectories(candorState.resolve("outbox"));
        Files.writeString(outbox.resolve(report.period() + "_" + report.id() + ".json"), report.json(), StandardCharsets.UTF_8);
    }
}
