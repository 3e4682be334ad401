package dev.candor.internal.record;

import dev.candor.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One finished report in wire format v1 (DESIGN §5): the ordered map and its exact JSON bytes,
 * which are what is stored in the outbox, shown to the user and sent. Immutable.
 */
public final class Report {
    private final String reportId;
    private final String period;
    private final Map<String, Object> map;
    private final byte[] json;

    Report(String reportId, String period, Map<String, Object> map) {
        this.reportId = reportId;
        this.period = period;
        this.map = map;
        this.json = Json.write(map).getBytes(StandardCharsets.UTF_8);
    }

    public String reportId() {
        return reportId;
    }

    public String period() {
        return period;
    }

    /** The report as an ordered, read-only map with exactly the keys of wire format v1. */
    public Map<String, Object> asMap() {
        return map;
    }

    /** The exact bytes of the report: compact JSON, UTF-8. */
    public byte[] json() {
        return json.clone();
    }

    /** The report as a string of compact JSON. */
    public String jsonString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    /** {@code <period>_<report_id>.json}, the name of its file in the outbox. */
    public String fileName() {
        return period + "_" + reportId + ".json";
    }
}
