package dev.candor.bench.hotpath;

import com.posthog.java.PostHog;
import dev.candor.Counter;
import dev.candor.Telemetry;
import dev.candor.TelemetryOptions;
import com.segment.analytics.Analytics;
import com.segment.analytics.messages.TrackMessage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One recorded event, as each library records it on the caller's thread: the cost an application pays
 * every time it counts something. Every library is set up the way its documentation says, once, and the
 * event is the same everywhere: {@code command_run} with command=convert, success=true, duration=1s-5s.
 *
 * <p>All threads of a run share one counter (scope Benchmark), as an application's threads share its
 * counters. Run at 1 and 2 threads with {@code -prof gc} by candor-bench/run; the numbers land in
 * BENCHMARKS.md. Each benchmark method takes only its own library's state, so no other library's
 * background threads run while it is measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {

    /** Loopback port where nothing listens: the analytics clients' uploads fail at once, as when offline. */
    static final String UNREACHABLE = "http://127.0.0.1:9";

    /**
     * Candor with telemetry on ({@code --telemetry}), its counter resolved once, as DESIGN §6 asks apps
     * to do. The state folder comes from {@code TINYAPP_TELEMETRY_DIR}, which candor-bench/run points
     * into target/, so the benchmark never writes into the user's home.
     */
    @State(Scope.Benchmark)
    public static class CandorState {
        Telemetry telemetry;
        Counter counter;

        @Setup(Level.Trial)
        public void setUp() {
            telemetry = Telemetry.start(TelemetryOptions.builder().appVersion("2.0.0").args("--telemetry").build());
            if (telemetry.mode() != dev.candor.Mode.ON) {
                throw new IllegalStateException("Candor's telemetry is not on (" + telemetry.statusLine()
                        + "): the benchmark would measure the no-op counter");
            }
            counter = telemetry.counter("command_run", "command", "convert", "success", "true", "duration", "1s-5s");
            if (counter == telemetry.counter("no_such_event")) {
                throw new IllegalStateException("Candor's counter for a valid cell is the shared no-op counter: "
                        + "recording is not wired in this SDK build, so there is nothing to measure yet");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            telemetry.close();
        }
    }

    @Benchmark
    public void candor(CandorState state) {
        state.counter.increment();
    }

    /** The floor: one striped atomic add, no lookup, no bookkeeping. */
    @State(Scope.Benchmark)
    public static class LongAdderState {
        final LongAdder adder = new LongAdder();
    }

    @Benchmark
    public void longAdder(LongAdderState state) {
        state.adder.increment();
    }

    /** OpenTelemetry's metrics SDK with a real provider and a periodic reader, cumulative temporality. */
    @State(Scope.Benchmark)
    public static class OpenTelemetryState {
        SdkMeterProvider provider;
        LongCounter counter;
        Attributes attributes;

        @Setup(Level.Trial)
        public void setUp() {
            provider = SdkMeterProvider.builder()
                    .registerMetricReader(PeriodicMetricReader.builder(new DiscardingMetricExporter())
                            .setInterval(Duration.ofHours(1))
                            .build())
                    .build();
            counter = provider.get("candor-bench").counterBuilder("command_run").build();
            attributes = Attributes.of(
                    AttributeKey.stringKey("command"), "convert",
                    AttributeKey.booleanKey("success"), true,
                    AttributeKey.stringKey("duration"), "1s-5s");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            provider.close();
        }
    }

    @Benchmark
    public void openTelemetry(OpenTelemetryState state) {
        state.counter.add(1, state.attributes);
    }

    /** Micrometer's counter, resolved once with its tags, in the in-memory SimpleMeterRegistry. */
    @State(Scope.Benchmark)
    public static class MicrometerState {
        io.micrometer.core.instrument.Counter counter;

        @Setup(Level.Trial)
        public void setUp() {
            counter = new SimpleMeterRegistry().counter("command_run",
                    "command", "convert", "success", "true", "duration", "1s-5s");
        }
    }

    @Benchmark
    public void micrometer(MicrometerState state) {
        state.counter.increment();
    }

    /** PostHog's Java client (posthog-java), uploading to a port where nothing listens. */
    @State(Scope.Benchmark)
    public static class PostHogState {
        PostHog posthog;
        final Map<String, Object> properties = Map.of("command", "convert", "success", true, "duration", "1s-5s");

        @Setup(Level.Trial)
        public void setUp() {
            posthog = new PostHog.Builder("phc_candor_bench").host(UNREACHABLE).logger(new SilentPostHogLogger()).build();
        }
    }

    @Benchmark
    public void postHog(PostHogState state) {
        state.posthog.capture("install-0001", "command_run", state.properties);
    }

    /** Segment's Java client (analytics-java), uploading to a port where nothing listens. */
    @State(Scope.Benchmark)
    public static class SegmentState {
        Analytics analytics;
        final Map<String, Object> properties = Map.of("command", "convert", "success", true, "duration", "1s-5s");

        @Setup(Level.Trial)
        public void setUp() {
            analytics = Analytics.builder("candor-bench").endpoint(UNREACHABLE).build();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            analytics.shutdown();
        }
    }

    @Benchmark
    public void segment(SegmentState state) {
        state.analytics.enqueue(TrackMessage.builder("command_run").userId("install-0001").properties(state.properties));
    }
}
