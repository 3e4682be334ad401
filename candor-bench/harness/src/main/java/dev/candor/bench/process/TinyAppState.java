package dev.candor.bench.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The environment every tiny app runs in: a fresh private folder for whatever the library keeps on disk,
 * the collector's address, and none of the variables from the harness's own environment that would
 * change what a library does (its own settings, JVM options picked up from the environment).
 */
final class TinyAppState {
    private TinyAppState() {
    }

    static void environment(Map<String, String> env, Path state, String collectorBaseUrl) {
        env.keySet().removeIf(name -> name.startsWith("OTEL_") || name.contains("TELEMETRY") || name.equals("DO_NOT_TRACK")
                || name.equals("JAVA_TOOL_OPTIONS") || name.equals("JDK_JAVA_OPTIONS") || name.equals("_JAVA_OPTIONS"));
        env.put("HOME", state.toString());
        env.put("XDG_CONFIG_HOME", state.resolve("config").toString());
        env.put("BENCH_ENDPOINT", collectorBaseUrl);
        env.put("BENCH_STATE_DIR", state.toString());
    }

    /** Lays out what the app finds on disk when it starts; every run starts from the same state. */
    static void prepare(TinyApp app, Path state) throws IOException {
        // Only Candor keeps state between runs; its layout is added with its tiny app.
    }
}
