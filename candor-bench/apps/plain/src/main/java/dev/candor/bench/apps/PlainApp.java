package dev.candor.bench.apps;

import java.time.Instant;

/**
 * The tiny app without telemetry: it does its one piece of work and exits. Every other tiny app is this
 * one plus one library, so their difference in time, memory and classes is what the library costs.
 *
 * <p>Every tiny app prints {@code work-done-micros=<epoch µs>} when its work is done and the event is
 * recorded; the harness subtracts that from the moment the process ended to get the exit delay.
 */
public final class PlainApp {
    public static void main(String[] args) {
        // the harness's knob for how long the work lasts, read as Candor's tiny app reads it: the same program
        work(Long.parseLong(System.getenv().getOrDefault("BENCH_WORK_MILLIS", "0")));
        System.out.println("converted 1 file");
        System.out.println("work-done-micros=" + epochMicros());
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
