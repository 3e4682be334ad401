package dev.candor.internal.record;

import dev.candor.Mode;
import dev.candor.internal.catalog.Catalog;
import dev.candor.internal.catalog.FieldType;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counter file of a run that ended before its recorder was made: what the app counted, written at
 * {@code close()} with its cells named field by field, as the app named them.
 *
 * <p>Why it exists: most runs of a command-line app last well under a second, and for them parsing the
 * whole catalog and opening the recorder cost more than the app's own start (candor-bench). Such a run
 * writes this file instead, in the counter-file format (see {@link CounterFile}) with each cell an object
 * {@code {"field": "value", …}} rather than a list in the catalog's field order; whoever reads counter
 * files later (the merge, {@code telemetry show}) has the parsed catalog, checks every cell against it
 * and skips what does not fit, as for every counter file. The field {@link #DURATION_FIELD} stands for the
 * event's duration field, which a {@code Timing} names without knowing the catalog.
 *
 * <p>What it promises: no string reaches the disk that the catalog file does not hold, as a JSON string,
 * or that is not one of the fixed values of a field type (duration and count buckets, booleans). When a
 * cell names anything else, nothing is written and {@link #write} says so, so that the caller can take
 * the long way (parse, then record as usual).
 */
final class ShortRunCounts {
    /** The field name a timing uses for "the event's duration field" (no catalog name starts with '*'). */
    static final String DURATION_FIELD = "*duration";

    private ShortRunCounts() {
    }

    /**
     * Writes the counts of {@code asked} to this process's counter file of the period that holds {@code
     * nowMillis}: true when written, or when there was nothing to write or the period is already merged (its
     * counts are late, and dropped as the recorder drops them); false, writing nothing, when a cell names a
     * string the catalog does not hold or the file cannot be written.
     */
    static boolean write(File stateDir, String app, Catalog.Period kind, Mode mode, long nowMillis, byte[] catalog,
                         Collection<PendingCounters.Asked> asked) {
        Map<String, StringBuilder> cellsByEvent = new LinkedHashMap<>();
        Map<String, Boolean> found = new HashMap<>(); // each string is looked for once, however many cells name it
        for (PendingCounters.Asked a : asked) {
            long n = a.counter.peek();
            if (n <= 0) {
                continue;
            }
            StringBuilder cells = cellsByEvent.get(a.event);
            if (cells == null) {
                if (!inCatalog(catalog, a.event, found)) {
                    return false;
                }
                cells = new StringBuilder();
                cellsByEvent.put(a.event, cells);
            }
            if (!cell(cells, a.fieldValuePairs, catalog, found)) {
                return false;
            }
            cells.append("\"n\":").append(n).append('}');
        }
        if (cellsByEvent.isEmpty()) {
            return true;
        }
        String period = kind.idOfMillis(nowMillis);
        String modeName = StateDirectory.modeName(mode);
        if (new File(new File(stateDir, "merged"), period + "." + modeName).exists()) {
            return true; // late: the recorder drops such counts too
        }
        StringBuilder doc = new StringBuilder(256);
        quote(doc.append("{\"v\":1,\"app\":"), app).append(",\"period\":\"").append(period)
                .append("\",\"mode\":\"").append(modeName).append("\",\"counts\":{");
        boolean first = true;
        for (Map.Entry<String, StringBuilder> e : cellsByEvent.entrySet()) {
            quote(doc.append(first ? "" : ","), e.getKey()).append(":[").append(e.getValue()).append(']');
            first = false;
        }
        doc.append("}}");
        File target = new File(new File(new File(stateDir, "counts"), period),
                StateDirectory.newProcessName() + "." + modeName + ".json");
        try {
            writeNew(target, doc.toString().getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Appends {@code {"cell":{…},} for the pairs; false when a name or value is not the catalog's. */
    private static boolean cell(StringBuilder out, String[] pairs, byte[] catalog, Map<String, Boolean> found) {
        if (pairs.length % 2 != 0) {
            return false;
        }
        out.append(out.length() > 0 ? ",{\"cell\":{" : "{\"cell\":{");
        for (int i = 0; i < pairs.length; i += 2) {
            String field = pairs[i];
            String value = pairs[i + 1];
            if (field == null || value == null) {
                return false;
            }
            boolean fits = field.equals(DURATION_FIELD) ? FieldType.DURATION_BUCKETS.contains(value)
                    : inCatalog(catalog, field, found) && (inCatalog(catalog, value, found) || isFixedValue(value));
            if (!fits) {
                return false;
            }
            quote(out.append(i == 0 ? "" : ","), field).append(':');
            quote(out, value);
        }
        out.append("},");
        return true;
    }

    /** A value that a field type names without the catalog listing it: a duration or count bucket, a boolean. */
    private static boolean isFixedValue(String value) {
        return FieldType.DURATION_BUCKETS.contains(value) || FieldType.COUNT_BUCKETS.contains(value)
                || FieldType.BOOLEAN_VALUES.contains(value);
    }

    /**
     * Whether {@code catalog} holds {@code s} (not null) as a JSON string, written as {@link #quote} writes it;
     * answers remembered in {@code found}.
     */
    private static boolean inCatalog(byte[] catalog, String s, Map<String, Boolean> found) {
        if (s == null) {
            return false;
        }
        Boolean known = found.get(s);
        if (known == null) {
            known = indexOf(catalog, quote(new StringBuilder(), s).toString().getBytes(StandardCharsets.UTF_8)) >= 0;
            found.put(s, known);
        }
        return known;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** {@code s} as a JSON string: quotes and backslashes escaped, control characters as a six-character escape. */
    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }

    /**
     * Writes {@code bytes} as the new file {@code target}, directly: the name is this process's own (pid and
     * random bits), so no one else writes it, and no one reads it half-written in earnest (the merge reads a
     * period's files only 10 minutes after it ended, and a short run writes the period that holds now; {@code
     * telemetry show} skips a file it cannot read). A recorder's file is rewritten many times, so it is
     * written to {@code tmp/} and renamed into place; this one is written once.
     */
    private static void writeNew(File target, byte[] bytes) throws IOException {
        directory(target.getParentFile());
        if (!target.createNewFile()) {
            throw new IOException(target + " exists");
        }
        try (FileOutputStream out = new FileOutputStream(target)) {
            out.write(bytes);
        } catch (IOException | RuntimeException e) {
            target.delete(); // nothing half-written stays
            throw e;
        }
    }

    private static void directory(File dir) throws IOException {
        if (!dir.isDirectory() && !dir.mkdirs() && !dir.isDirectory()) {
            throw new IOException("cannot create the folder " + dir);
        }
    }
}
