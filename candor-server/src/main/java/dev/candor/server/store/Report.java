package dev.candor.server.store;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One report that passed validation against its catalog (wire format v1, DESIGN §5), as the store
 * keeps it and hands it back to rollups.
 *
 * <p>{@code json} is the report's canonical compact JSON, the exact text stored; every other
 * component is read from it and kept beside it so that rollups need no JSON parsing of their own.
 * {@code period} is the first day of the report's period (a Monday for weekly catalogs).
 *
 * @param noisedEvents the events sent with local noise, each with its epsilon (from the report's
 *     {@code noise} block); their counts may be negative and are dense (every cell present)
 * @param cells every count of the report, in the order it was sent
 */
public record Report(
        UUID reportId,
        String app,
        String appVersion,
        String catalogSha256,
        LocalDate period,
        ReportContext context,
        Map<String, Double> noisedEvents,
        List<Cell> cells,
        String json) {

    public Report {
        Objects.requireNonNull(reportId, "reportId");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(appVersion, "appVersion");
        Objects.requireNonNull(catalogSha256, "catalogSha256");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(context, "context");
        noisedEvents = Map.copyOf(noisedEvents);
        cells = List.copyOf(cells);
        Objects.requireNonNull(json, "json");
    }

    /**
     * The coarse, fixed environment every report carries (DESIGN §5).
     *
     * @param runtime {@code java_<major>}, for example {@code java_17}
     */
    public record ReportContext(
            String os, String arch, String runtime, String memoryTier, String installMethod, boolean ci) {
        public ReportContext {
            Objects.requireNonNull(os, "os");
            Objects.requireNonNull(arch, "arch");
            Objects.requireNonNull(runtime, "runtime");
            Objects.requireNonNull(memoryTier, "memoryTier");
            Objects.requireNonNull(installMethod, "installMethod");
        }
    }

    /**
     * One count of one event's cell.
     *
     * @param fields the cell's field values in the catalog's field order; a boolean field's value
     *     is {@code "true"} or {@code "false"}
     * @param n the count: 0..max_per_cell for exact events, noised (possibly negative) for noised ones
     */
    public record Cell(String event, Map<String, String> fields, long n) {
        public Cell {
            Objects.requireNonNull(event, "event");
            fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        }
    }
}
