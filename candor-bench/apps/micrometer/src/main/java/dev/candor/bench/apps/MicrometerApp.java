package dev.candor.bench.apps;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;

/**
 * The tiny app with Micrometer and its in-memory registry. Micrometer sends nothing by itself (a
 * registry for a backend would), so this measures the cost of the counting library alone.
 */
public final class MicrometerApp {
    public static void main(String[] args) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        System.out.println("converted 1 file");
        registry.counter("command_run", "command", "convert", "success", "true", "duration", "<100ms").increment();
        System.out.println("work-done-micros=" + epochMicros());
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
