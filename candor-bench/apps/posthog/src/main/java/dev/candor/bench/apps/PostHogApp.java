package dev.candor.bench.apps;

import com.posthog.java.PostHog;
import java.time.Instant;
import java.util.Map;

/**
 * The tiny app with PostHog's Java client, as its README sets it up: capture the event, then
 * {@code shutdown()} before exiting so the queued event is sent. The client's queue thread is not a
 * daemon, so an app that skips {@code shutdown()} never exits.
 */
public final class PostHogApp {
    public static void main(String[] args) {
        String endpoint = System.getenv().getOrDefault("BENCH_ENDPOINT", "http://127.0.0.1:9");
        PostHog posthog = new PostHog.Builder("phc_tinyapp").host(endpoint).build();
        System.out.println("converted 1 file");
        posthog.capture("install-0001", "command_run", Map.of("command", "convert", "success", true, "duration", "<100ms"));
        System.out.println("work-done-micros=" + epochMicros());
        posthog.shutdown();
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
