package dev.candor.internal.upload;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Small, realistic wire-format v1 reports and a fixed clock, for the upload tests. */
final class SampleReports {
    /** "Now" in the tests: the morning after the period 2026-11-24 closed. */
    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final String APP = "acme";

    private SampleReports() {
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** A report of {@code app} for {@code period}, about 500 bytes, plus {@code padCells} extra cells of about 60 bytes each. */
    static byte[] report(String app, String period, String reportId, int padCells) {
        StringBuilder cells = new StringBuilder();
        cells.append("{\"command\":\"convert\",\"success\":true,\"duration\":\"1s-5s\",\"n\":4}");
        for (int i = 0; i < padCells; i++) {
            cells.append(",{\"command\":\"hash\",\"success\":false,\"duration\":\"<100ms\",\"n\":").append(i % 100).append('}');
        }
        String json = "{\"v\":1,\"report_id\":\"" + reportId + "\",\"app\":\"" + app + "\",\"app_version\":\"2.0\","
                + "\"catalog_sha256\":\"" + "ab".repeat(32) + "\",\"period\":\"" + period + "\","
                + "\"context\":{\"os\":\"linux\",\"arch\":\"x64\",\"runtime\":\"java_17\",\"memory_tier\":\"high\","
                + "\"install_method\":\"maven\",\"ci\":false},"
                + "\"noise\":{\"input_size\":{\"mechanism\":\"discrete_laplace\",\"epsilon\":1.0}},"
                + "\"counts\":{\"command_run\":[" + cells + "],\"error\":[{\"type\":\"java.io.IOException\",\"n\":1}]}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] report(String period, String reportId) {
        return report(APP, period, reportId, 0);
    }

    /** Adds a fresh report of {@link #APP} for {@code period} to the outbox and returns its file. */
    static ReportFile add(Outbox outbox, String period) throws Exception {
        String id = newId();
        byte[] bytes = report(period, id);
        Path path = put(outbox, period, id, bytes);
        return new ReportFile(path, bytes, NOW.toEpochMilli());
    }

    /** Puts {@code bytes} into the outbox as the report {@code period_reportId.json}, atomically, as the merge does. */
    static Path put(Outbox outbox, String period, String reportId, byte[] bytes) throws java.io.IOException {
        Path path = outbox.directory().resolve(period + "_" + reportId + ".json");
        Outbox.writeAtomically(path, bytes);
        return path;
    }

    /** What one {@link Outbox#scan} returned and removed. */
    record Scan(List<ReportFile> pending, List<ReportOutcome> removed) {
    }

    static Scan scan(Outbox outbox) {
        List<ReportOutcome> removed = new ArrayList<>();
        List<ReportFile> pending = outbox.scan(removed);
        return new Scan(pending, removed);
    }
}
