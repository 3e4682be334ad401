package dev.candor.internal.upload;

import dev.candor.internal.json.Json;
import dev.candor.internal.json.JsonException;

import java.util.Map;

/**
 * Decides whether the bytes of an outbox file are a report of this app that the uploader may send:
 * strict UTF-8 JSON (read by {@link Json}) holding an object whose {@code v} is 1, whose
 * {@code app} is this app, whose {@code period} and {@code report_id} match the file name, and
 * which has {@code counts}. Anything else (a truncated write, a file another app or a future SDK
 * left, garbage) is never sent; the outbox removes it. The rest of the report's shape is the
 * record package's to build and the collector's to validate against the catalog.
 */
final class ReportCheck {
    /** The wire format this SDK sends (DESIGN §5). */
    static final long WIRE_VERSION = 1;

    private ReportCheck() {
    }

    /** {@code null} when {@code bytes} are a sendable report of {@code app} named {@code name}, else why not. */
    static String problem(ReportName name, byte[] bytes, String app) {
        Object parsed;
        try {
            parsed = Json.parse(bytes);
        } catch (JsonException e) {
            return "not JSON (" + e.reason() + " at line " + e.line() + ", column " + e.column() + ")";
        }
        if (!(parsed instanceof Map)) {
            return "not a JSON object";
        }
        Map<?, ?> report = (Map<?, ?>) parsed;
        Object version = report.get("v");
        if (!(version instanceof Long) || (Long) version != WIRE_VERSION) {
            return "wire format \"v\": " + Json.write(version) + ", this SDK sends only v " + WIRE_VERSION;
        }
        if (!app.equals(report.get("app"))) {
            return "it belongs to app " + Json.write(report.get("app"));
        }
        if (!name.period().equals(report.get("period"))) {
            return "its period " + Json.write(report.get("period")) + " does not match the file name";
        }
        if (!name.reportId().equals(report.get("report_id"))) {
            return "its report_id " + Json.write(report.get("report_id")) + " does not match the file name";
        }
        if (!(report.get("counts") instanceof Map)) {
            return "it has no \"counts\" object";
        }
        return null;
    }
}
