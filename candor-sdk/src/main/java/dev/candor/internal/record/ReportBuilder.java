package dev.candor.internal.record;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.internal.noise.DiscreteLaplace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Builds a report in wire format v1 (DESIGN §5) from one install's per-cell totals for a period.
 * The SDK's merger and the collector's population simulator both build reports here, so a
 * simulated report is byte-for-byte the kind a real install sends.
 *
 * <p>What it promises: the keys {@code v, report_id, app, app_version, catalog_sha256, period,
 * context, noise, counts} in that order; every count clamped to the catalog's
 * {@code max_per_cell}; an error-type event holding at most {@value FieldType#ERROR_TYPE_LIMIT}
 * named error types (the most frequent; the rest, and any value that is not an allowed error
 * type, fold into {@code "other"}); events without noise sparse (non-zero cells only, events with
 * no count left out), in cell order; events with noise dense (every cell, in cell order), each
 * count being the clamped count plus discrete Laplace noise of scale 1/ε. A noised count may be
 * negative: it is kept as it is, because clipping at zero would bias every estimate upwards and
 * the collector sums many reports. Boolean field values are JSON booleans, others strings.
 * Stateless and thread-safe when the {@code Random} is.
 */
public final class ReportBuilder {
    private ReportBuilder() {
    }

    /**
     * Builds one report.
     *
     * @param period the period id ({@code 2026-11-24}; a Monday for weekly catalogs)
     * @param totals the install's counts; every cell must be valid for the catalog
     * @param context the coarse context of DESIGN §5, placed as given (null for none)
     * @param appVersion the app's version, reduced here to major.minor ({@code "unknown"} if unreadable)
     * @param random draws the report id and the noise: a {@code SecureRandom} in production, a seeded
     *     {@code Random} for reproducible simulations
     * @throws IllegalArgumentException for an invalid period, an unknown event or an invalid cell
     */
    public static Report build(Catalog catalog, String period, CellTotals totals, Map<String, ?> context,
            String appVersion, Random random) {
        if (!catalog.period().isId(period)) {
            throw new IllegalArgumentException("\"" + period + "\" is not a " + catalog.period().jsonName()
                    + " period id (yyyy-mm-dd" + (catalog.period() == Catalog.Period.WEEK ? ", a Monday" : "") + ")");
        }
        for (String event : totals.asMap().keySet()) {
            if (catalog.event(event) == null) {
                throw new IllegalArgumentException("event \"" + event + "\" is not in the catalog of " + catalog.app());
            }
        }
        String reportId = randomUuid(random);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("v", 1);
        report.put("report_id", reportId);
        report.put("app", catalog.app());
        report.put("app_version", majorMinor(appVersion));
        report.put("catalog_sha256", catalog.sha256());
        report.put("period", period);
        report.put("context", context == null ? new LinkedHashMap<String, Object>() : new LinkedHashMap<>(context));
        Map<String, Object> noise = new LinkedHashMap<>();
        for (EventSpec event : catalog.allEvents()) {
            if (event.noised()) {
                Map<String, Object> mechanism = new LinkedHashMap<>();
                mechanism.put("mechanism", "discrete_laplace");
                mechanism.put("epsilon", event.noiseEpsilon().doubleValue());
                noise.put(event.name(), mechanism);
            }
        }
        report.put("noise", noise);
        report.put("counts", counts(catalog, totals, random));
        return new Report(reportId, period, Collections.unmodifiableMap(report));
    }

    /**
     * {@code "2.0.1"} → {@code "2.0"}, {@code "3"} → {@code "3.0"}, {@code "v3.14-SNAPSHOT"} → {@code "3.14"}:
     * an optional {@code v}, then up to 9 digits, then optionally a dot and up to 9 digits, at the start;
     * {@code "unknown"} when the version does not start like that.
     */
    public static String majorMinor(String version) {
        String v = version == null ? "" : version.trim();
        int majorStart = v.startsWith("v") || v.startsWith("V") ? 1 : 0;
        int majorEnd = digitsEnd(v, majorStart);
        if (majorEnd == majorStart) {
            return "unknown";
        }
        int minorEnd = majorEnd < v.length() && v.charAt(majorEnd) == '.' ? digitsEnd(v, majorEnd + 1) : majorEnd;
        int minor = minorEnd > majorEnd + 1 ? Integer.parseInt(v.substring(majorEnd + 1, minorEnd)) : 0;
        return Integer.parseInt(v.substring(majorStart, majorEnd)) + "." + minor;
    }

    /** Where the run of at most 9 ASCII digits from {@code from} ends. */
    private static int digitsEnd(String s, int from) {
        int end = from;
        while (end < s.length() && end - from < 9 && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
            end++;
        }
        return end;
    }

    /** One cell as a report entry: each field's value (booleans as JSON booleans), then {@code "n"}. */
    static Map<String, Object> cell(EventSpec event, List<String> values, long n) {
        Map<String, Object> cell = new LinkedHashMap<>();
        for (int i = 0; i < event.fields().size(); i++) {
            FieldSpec f = event.fields().get(i);
            cell.put(f.name(), f.type() == FieldType.BOOLEAN ? (Object) Boolean.valueOf(values.get(i)) : values.get(i));
        }
        cell.put("n", n);
        return cell;
    }

    /**
     * A report's {@code counts}: each event of the catalog that has a count, in catalog order, rendered as the
     * class comment says. With {@code random} null, the exact counts instead, as {@code telemetry show} prints
     * the open period's running totals: nothing clamped, noised or folded into {@code "other"}, every event
     * sparse, in the same order.
     */
    static Map<String, Object> counts(Catalog catalog, CellTotals totals, Random random) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (EventSpec event : catalog.events()) {
            Map<List<String>, Long> cells = totals.asMap().get(event.name());
            List<Object> rendered = event.errorTypeField() >= 0 ? errorTypes(catalog, event, cells, random == null)
                    : cells(catalog, event, cells, random);
            if (!rendered.isEmpty()) {
                counts.put(event.name(), rendered);
            }
        }
        return counts;
    }

    private static long[] byIndex(EventSpec event, Map<List<String>, Long> cells) {
        long[] counts = new long[event.closedCellCount()];
        if (cells != null) {
            for (Map.Entry<List<String>, Long> c : cells.entrySet()) {
                int index = event.cellIndex(c.getKey().toArray(new String[0]));
                counts[index] = saturatingAdd(counts[index], c.getValue());
            }
        }
        return counts;
    }

    /**
     * The cells of an event without an {@code error_type} field, in cell order: with noise (when {@code random}
     * is given and the event asks for it) every cell, else the non-zero ones; clamped unless {@code random} is null.
     */
    private static List<Object> cells(Catalog catalog, EventSpec event, Map<List<String>, Long> cells, Random random) {
        long[] counts = byIndex(event, cells);
        long[] scale = random != null && event.noised() ? DiscreteLaplace.scaleForEpsilon(event.noiseEpsilon()) : null;
        long max = random == null ? Long.MAX_VALUE : catalog.maxPerCell();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (scale != null || counts[i] > 0) {
                long noise = scale == null ? 0 : DiscreteLaplace.sample(random, scale[0], scale[1]);
                out.add(cell(event, List.of(event.cellValues(i)), Math.min(counts[i], max) + noise));
            }
        }
        return out;
    }

    /**
     * An error-type event: its cells by error type, each type not allowed folded into {@code "other"}; the
     * {@value FieldType#ERROR_TYPE_LIMIT} most frequent named types kept (the first name on a tie), in name
     * order, and the rest folded into {@code "other"}, which comes last; with {@code exact}, every type kept and
     * nothing clamped.
     */
    private static List<Object> errorTypes(Catalog catalog, EventSpec event, Map<List<String>, Long> cells,
            boolean exact) {
        int at = event.errorTypeField();
        Map<String, long[]> byType = new TreeMap<>();
        Map<String, Long> totalByType = new HashMap<>();
        if (cells != null) {
            for (Map.Entry<List<String>, Long> c : cells.entrySet()) {
                String type = c.getKey().size() > at ? c.getKey().get(at) : null;
                if (!ErrorTypes.isAllowedValue(type, catalog.packages())) {
                    type = ErrorTypes.OTHER;
                }
                long[] counts = byType.get(type);
                if (counts == null) {
                    counts = new long[event.closedCellCount()];
                    byType.put(type, counts);
                    totalByType.put(type, 0L);
                }
                int index = event.cellIndex(c.getKey().toArray(new String[0]));
                counts[index] = saturatingAdd(counts[index], c.getValue());
                totalByType.put(type, saturatingAdd(totalByType.get(type), c.getValue()));
            }
        }
        List<String> kept = new ArrayList<>();
        while (exact || kept.size() < FieldType.ERROR_TYPE_LIMIT) {
            String mostFrequent = null;
            for (String type : byType.keySet()) { // in name order: on a tie the first name stays
                if (!type.equals(ErrorTypes.OTHER) && !kept.contains(type)
                        && (mostFrequent == null || totalByType.get(type) > totalByType.get(mostFrequent))) {
                    mostFrequent = type;
                }
            }
            if (mostFrequent == null) {
                break;
            }
            kept.add(mostFrequent);
        }
        long max = exact ? Long.MAX_VALUE : catalog.maxPerCell();
        long[] other = new long[event.closedCellCount()];
        List<Object> out = new ArrayList<>();
        for (Map.Entry<String, long[]> byName : byType.entrySet()) {
            if (kept.contains(byName.getKey())) {
                addErrorCells(out, event, byName.getKey(), byName.getValue(), max);
            } else {
                for (int i = 0; i < other.length; i++) {
                    other[i] = saturatingAdd(other[i], byName.getValue()[i]);
                }
            }
        }
        addErrorCells(out, event, ErrorTypes.OTHER, other, max);
        return out;
    }

    private static void addErrorCells(List<Object> out, EventSpec event, String type, long[] counts, long max) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                String[] values = event.cellValues(i);
                values[event.errorTypeField()] = type;
                out.add(cell(event, List.of(values), Math.min(counts[i], max)));
            }
        }
    }

    /**
     * A fresh {@code SecureRandom} for one merge's reports. Here rather than in the merger, so that the
     * class is loaded only when a report is built, never when an app merely starts.
     */
    static Random secureRandom() {
        return new java.security.SecureRandom();
    }

    /** A version 4 UUID drawn from {@code random}. */
    static String randomUuid(Random random) {
        long msb = random.nextLong();
        long lsb = random.nextLong();
        msb = (msb & ~0xF000L) | 0x4000L;
        lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
