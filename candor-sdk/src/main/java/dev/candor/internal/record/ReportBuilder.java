package dev.candor.internal.record;

import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.ErrorTypes;
import dev.candor.internal.catalog.EventSpec;
import dev.candor.internal.catalog.FieldSpec;
import dev.candor.internal.catalog.FieldType;
import dev.candor.internal.noise.DiscreteLaplace;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern VERSION = Pattern.compile("^[vV]?([0-9]{1,9})(?:\\.([0-9]{1,9}))?");

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
        Map<String, Object> counts = new LinkedHashMap<>();
        for (EventSpec event : catalog.events()) {
            Map<List<String>, Long> cells = totals.asMap().get(event.name());
            List<Object> rendered = event.noised() ? dense(catalog, event, cells, random)
                    : event.errorTypeField() >= 0 ? errorTypes(catalog, event, cells) : sparse(catalog, event, cells);
            if (!rendered.isEmpty()) {
                counts.put(event.name(), rendered);
            }
        }
        report.put("counts", counts);
        return new Report(reportId, period, Collections.unmodifiableMap(report));
    }

    /** {@code "2.0.1"} → {@code "2.0"}, {@code "3"} → {@code "3.0"}; {@code "unknown"} when unreadable. */
    public static String majorMinor(String version) {
        if (version == null) {
            return "unknown";
        }
        Matcher m = VERSION.matcher(version.trim());
        if (!m.find()) {
            return "unknown";
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        return major + "." + minor;
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

    private static List<Object> sparse(Catalog catalog, EventSpec event, Map<List<String>, Long> cells) {
        long[] counts = byIndex(event, cells);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                out.add(cell(event, List.of(event.cellValues(i)), Math.min(counts[i], catalog.maxPerCell())));
            }
        }
        return out;
    }

    private static List<Object> dense(Catalog catalog, EventSpec event, Map<List<String>, Long> cells, Random random) {
        long[] counts = byIndex(event, cells);
        long[] scale = DiscreteLaplace.scaleForEpsilon(event.noiseEpsilon());
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            long noisy = Math.min(counts[i], catalog.maxPerCell()) + DiscreteLaplace.sample(random, scale[0], scale[1]);
            out.add(cell(event, List.of(event.cellValues(i)), noisy));
        }
        return out;
    }

    private static List<Object> errorTypes(Catalog catalog, EventSpec event, Map<List<String>, Long> cells) {
        int at = event.errorTypeField();
        Map<String, long[]> byType = new TreeMap<>();
        Map<String, Long> totalByType = new LinkedHashMap<>();
        if (cells != null) {
            for (Map.Entry<List<String>, Long> c : cells.entrySet()) {
                String type = c.getKey().size() > at ? c.getKey().get(at) : null;
                if (!ErrorTypes.isAllowedValue(type, catalog.packages())) {
                    type = ErrorTypes.OTHER;
                }
                int index = event.cellIndex(c.getKey().toArray(new String[0]));
                long[] counts = byType.computeIfAbsent(type, k -> new long[event.closedCellCount()]);
                counts[index] = saturatingAdd(counts[index], c.getValue());
                totalByType.merge(type, c.getValue(), ReportBuilder::saturatingAdd);
            }
        }
        // Keep the most frequent named types; fold the rest into "other".
        List<String> named = new ArrayList<>(byType.keySet());
        named.remove(ErrorTypes.OTHER);
        named.sort((a, b) -> {
            int byCount = Long.compare(totalByType.get(b), totalByType.get(a));
            return byCount != 0 ? byCount : a.compareTo(b);
        });
        for (String folded : named.subList(Math.min(named.size(), FieldType.ERROR_TYPE_LIMIT), named.size())) {
            long[] from = byType.remove(folded);
            long[] other = byType.computeIfAbsent(ErrorTypes.OTHER, k -> new long[event.closedCellCount()]);
            for (int i = 0; i < from.length; i++) {
                other[i] = saturatingAdd(other[i], from[i]);
            }
        }
        List<Object> out = new ArrayList<>();
        List<String> order = new ArrayList<>(byType.keySet());
        if (order.remove(ErrorTypes.OTHER)) {
            order.add(ErrorTypes.OTHER);
        }
        for (String type : order) {
            long[] counts = byType.get(type);
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    String[] values = event.cellValues(i);
                    values[at] = type;
                    out.add(cell(event, List.of(values), Math.min(counts[i], catalog.maxPerCell())));
                }
            }
        }
        return out;
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
