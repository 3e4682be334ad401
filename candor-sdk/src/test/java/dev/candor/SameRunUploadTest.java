package dev.candor;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.candor.internal.context.TestEnvironment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that finds a closed period's counts (left by an earlier run) merges them into a report in the
 * background and sends that report in the same run: the uploader is started (or woken) by the merge,
 * not only at the next start.
 */
class SameRunUploadTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path root;

    @Test
    void aReportMergedInTheBackgroundIsSentInTheSameRun() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        collector.createContext("/", exchange -> {
            try (exchange) {
                byte[] raw = exchange.getRequestBody().readAllBytes();
                try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                    received.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
                byte[] body = "{\"accepted\":1,\"duplicates\":0}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(202, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        collector.start();
        try {
            Path dir = root.resolve("acme-telemetry");
            // Yesterday's counts of an earlier process, and nothing in the outbox: the run starts with nothing to send.
            Path counts = Files.createDirectories(dir.resolve("state/counts/2026-11-24"));
            Files.writeString(counts.resolve("4242-0badcafe.on.json"), "{\"v\":1,\"app\":\"acme\",\"catalog_sha256\":\"x\","
                    + "\"period\":\"2026-11-24\",\"mode\":\"on\",\"counts\":{\"command_run\":"
                    + "[{\"cell\":[\"hash\",\"true\",\"<100ms\"],\"n\":3}]}}");
            TestEnvironment env = new TestEnvironment(root)
                    .set("ACME_TELEMETRY", "1")
                    .set("ACME_TELEMETRY_DIR", dir.toString())
                    .set("ACME_TELEMETRY_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/reports");
            try (Telemetry telemetry = Telemetry.start(TelemetryOptions.builder().appVersion("2.0.0")
                    .catalogResource(TelemetryTest.CATALOG).environment(env).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                    .build())) {
                assertThat(telemetry.mode()).isEqualTo(Mode.ON);
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (sentCopies(dir) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(50); // room for a second, wrong upload to show up
            }
            assertThat(received).hasSize(1);
            assertThat(received.get(0)).contains("\"period\":\"2026-11-24\"", "\"command\":\"hash\"", "\"n\":3");
            assertThat(sentCopies(dir)).isEqualTo(1);
        } finally {
            collector.stop(0);
        }
    }

    private static long sentCopies(Path dir) throws IOException {
        Path sent = dir.resolve("state/sent");
        if (!Files.isDirectory(sent)) {
            return 0;
        }
        try (var files = Files.list(sent)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".") && n.endsWith(".json")).count();
        }
    }
}
