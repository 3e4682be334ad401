package dev.candor.internal.upload;

import dev.candor.internal.catalog.Catalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One report as stored in {@code outbox/} or {@code sent/}: its name and its exact bytes, the wire
 * format v1 JSON that is (or was) sent. It exists so that {@code telemetry show} can print exactly
 * what leaves the machine, byte for byte. Immutable; {@link #bytes()} returns a copy.
 *
 * <p>The file name, {@code <period>_<report_id>.json}, is judged before a byte of the file is read
 * ({@link #isReportName}): a name that does not parse is not a report, and the period in the name
 * says how old the report is. A period is named by its first UTC day ({@code 2026-11-24}; a weekly
 * catalog's weeks by their Monday, see {@code Catalog.Period}); a report id is a UUID in its
 * canonical form. Names starting with {@code .} or ending in {@code .tmp} are writes in progress
 * (see {@link Outbox#writeAtomically}) and are never reports.
 */
public final class ReportFile {
    private static final int PERIOD_LENGTH = 10;
    private static final int UUID_LENGTH = 36;

    private final Path path;
    private final String fileName;
    private final byte[] bytes;
    private final long lastModified;

    /** {@code path} must be named like a report ({@link #isReportName}); {@code lastModified} in epoch milliseconds. */
    ReportFile(Path path, byte[] bytes, long lastModified) {
        this.path = path;
        this.fileName = path.getFileName().toString();
        this.bytes = bytes;
        this.lastModified = lastModified;
    }

    /** Whether {@code fileName} is a write in progress (a temporary file another writer will rename). */
    static boolean isTemporary(String fileName) {
        return fileName.startsWith(".") || fileName.endsWith(".tmp");
    }

    /** Whether {@code fileName} is the name of a report file: a real date, {@code _}, a lower-case UUID, {@code .json}. */
    static boolean isReportName(String fileName) {
        if (fileName.length() != PERIOD_LENGTH + 1 + UUID_LENGTH + ".json".length() || !fileName.endsWith(".json")
                || fileName.charAt(PERIOD_LENGTH) != '_') {
            return false;
        }
        for (int i = 0; i < UUID_LENGTH; i++) {
            char c = fileName.charAt(PERIOD_LENGTH + 1 + i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return Catalog.Period.DAY.isId(fileName.substring(0, PERIOD_LENGTH));
    }

    /**
     * Sorts report files, ties broken by name: in the outbox's order, the oldest period first, then the earlier
     * written; or, {@code asSent}, in the order of sending (for {@code sent/}), the earlier written first, then
     * the older period. An insertion sort (stable) rather than a {@code Comparator}: one class less to load.
     */
    static void sort(List<ReportFile> reports, boolean asSent) {
        for (int i = 1; i < reports.size(); i++) {
            ReportFile report = reports.get(i);
            int at = i;
            for (; at > 0 && comesBefore(report, reports.get(at - 1), asSent); at--) {
                reports.set(at, reports.get(at - 1));
            }
            reports.set(at, report);
        }
    }

    private static boolean comesBefore(ReportFile a, ReportFile b, boolean asSent) {
        int byPeriod = a.period().compareTo(b.period()); // yyyy-mm-dd: the text's order is the dates'
        int byTime = Long.compare(a.lastModified, b.lastModified);
        int first = asSent ? byTime : byPeriod;
        int second = asSent ? byPeriod : byTime;
        return (first != 0 ? first : second != 0 ? second : a.fileName.compareTo(b.fileName)) < 0;
    }

    /** The file name, {@code <period>_<report_id>.json}. */
    public String fileName() {
        return fileName;
    }

    /** The period the report covers, as in its name and its {@code period} key. */
    public String period() {
        return fileName.substring(0, PERIOD_LENGTH);
    }

    /** The report's random id, as in its name and its {@code report_id} key. */
    public String reportId() {
        return fileName.substring(PERIOD_LENGTH + 1, PERIOD_LENGTH + 1 + UUID_LENGTH);
    }

    /** Where the file is (or was, if it has since been sent or removed). */
    public Path path() {
        return path;
    }

    /** The exact bytes of the report: UTF-8 JSON in wire format v1. A fresh copy each call. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The report as text, exactly as it is sent. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The file's size in bytes. */
    public int size() {
        return bytes.length;
    }

    /** When the file was last written, in epoch milliseconds: for {@code sent/}, when the report was sent. */
    public long lastModified() {
        return lastModified;
    }

    byte[] sharedBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return fileName;
    }
}
