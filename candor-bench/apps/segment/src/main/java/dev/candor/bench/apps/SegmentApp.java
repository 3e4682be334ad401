package dev.candor.bench.apps;

import com.segment.analytics.Analytics;
import com.segment.analytics.messages.TrackMessage;
import java.time.Instant;
import java.util.Map;

/**
 * The tiny app with Segment's Java client, as its documentation sets it up for a short-lived process:
 * enqueue the event, then {@code flush()} and {@code shutdown()} before exiting so it is sent.
 */
public final class SegmentApp {
    public static void main(String[] args) {
        String endpoint = System.getenv().getOrDefault("BENCH_ENDPOINT", "http://127.0.0.1:9");
        Analytics analytics = Analytics.builder("tinyapp-write-key").endpoint(endpoint).build();
        System.out.println("converted 1 file");
        analytics.enqueue(TrackMessage.builder("command_run").userId("install-0001")
                .properties(Map.of("command", "convert", "success", true, "duration", "<100ms")));
        System.out.println("work-done-micros=" + epochMicros());
        analytics.flush();
        analytics.shutdown();
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
