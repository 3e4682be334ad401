package dev.candor.bench.apps;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Instant;
import java.util.Map;

/**
 * The tiny app with OpenTelemetry as its documentation sets it up: the autoconfigured SDK exporting
 * metrics over OTLP/HTTP to {@code BENCH_ENDPOINT} (traces and logs off). Its shutdown hook flushes the
 * counter when the JVM exits, which is where a slow or absent collector holds the process.
 */
public final class OpenTelemetryApp {
    public static void main(String[] args) {
        String endpoint = System.getenv().getOrDefault("BENCH_ENDPOINT", "http://127.0.0.1:9");
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> Map.of(
                        "otel.service.name", "tinyapp",
                        "otel.traces.exporter", "none",
                        "otel.logs.exporter", "none",
                        "otel.metrics.exporter", "otlp",
                        "otel.exporter.otlp.protocol", "http/protobuf",
                        "otel.exporter.otlp.endpoint", endpoint))
                .build()
                .getOpenTelemetrySdk();
        System.out.println("converted 1 file");
        sdk.getMeter("tinyapp").counterBuilder("command_run").build().add(1, Attributes.of(
                AttributeKey.stringKey("command"), "convert",
                AttributeKey.booleanKey("success"), true,
                AttributeKey.stringKey("duration"), "<100ms"));
        System.out.println("work-done-micros=" + epochMicros());
    }

    static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
