package dev.candor.bench.apps;

import dev.candor.Telemetry;
import dev.candor.TelemetryOptions;
import java.time.Instant;

/**
 * The tiny app with Candor, as its documentation sets it up: start telemetry in {@code main}, count the
 * one event, close at the end. The harness turns telemetry on and gives it a private state folder and
 * the collector's address through the environment ({@code TINYAPP_TELEMETRY*}), as a user or a test would.
 *
 * <p>{@code BENCH_WORK_MILLIS} makes the app's work last that long (a command that runs a while), so that
 * on a run that uploads, the upload is under way, or stuck on a silent collector, when the work ends.
 */
public final class CandorApp {
    public static void main(String[] args) {
        try (Telemetry telemetry = Telemetry.start(TelemetryOptions.builder().appVersion("2.0.0").args(args).build())) {
            work(Long.parseLong(System.getenv().getOrDefault("BENCH_WORK_MILLIS", "0")));
            System.out.println("converted 1 file");
            telemetry.counter("command_run", "command", "convert", "success", "true", "duration", "<100ms").increment();
            System.out.println("work-done-micros=" + epochMicros());
        }
    }

    private static void work(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
